// A float32 CNN built from every float32 operator mlbaot has, run end to end (mlbench flow run
// -f validate) on soft-float rv32imac, hard-float rv32imafc (ilp32f) and Cortex-M4F (fpv4-sp-d16,
// -mfloat-abi=hard), validated against LiteRT's outputs, and the FPU's effect on the count.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { float32Bytes } from '../../src/frameworks/litert/model-builder.js';
import { floatCnn } from '../../src/frameworks/litert/zoo-float-cnn.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { createRng } from '../../src/frameworks/litert/prng.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const tools = ['qemu-system-riscv32', 'qemu-system-arm', 'riscv64-unknown-elf-gcc', 'arm-none-eabi-gcc'];
const missing = tools.filter((t) => !whichSync(t));
if (missing.length > 0) console.warn(`skipping float32 target runs: ${missing.join(', ')} not installed`);

describe.skipIf(missing.length > 0)('float32 CNN on soft- and hard-float targets', () => {
  it('validates against LiteRT on rv32imac (soft), rv32imafc and Cortex-M4F (FPU)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mlb-floatcnn-')), 'float_cnn');
    mkdirSync(join(dir, 'input'), { recursive: true });
    mkdirSync(join(dir, 'output_tflite'));
    const bytes = writeTflite(floatCnn());
    writeFileSync(join(dir, 'float_cnn.tflite'), bytes);
    const oracle = await loadOracle();
    const rng = createRng(11);
    for (let v = 0; v < 2; v++) {
      const input = float32Bytes(Array.from({ length: 12 * 12 * 3 }, () => Math.fround(rng.float(-1, 1))));
      const [out] = await oracle.run(bytes, [input]);
      writeFileSync(join(dir, 'input', `${v}.bin`), input);
      writeFileSync(join(dir, 'output_tflite', `${v}.bin`), out);
    }
    oracle.dispose();

    const home = tempHome();
    const model = join(dir, 'float_cnn.tflite');
    const runs = [
      ['riscv_qemu', []],
      ['riscv_qemu', ['-c', 'riscv_qemu.arch=rv32imafc']],
      ['cortexm4_qemu', []],
    ] as const;
    const counts: number[] = [];
    const floats: string[] = [];
    for (const [i, [target, extra]] of runs.entries()) {
      const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', '-t', target, ...extra, '-f', 'validate']);
      expect(r.exitCode, r.stderr).toBe(0);
      const [row] = readCsv(join(home, 'sessions', String(i + 1), 'report.csv'));
      expect(row.Status, row.Reason).toBe('ok');
      expect(row.Validation).toBe('pass 2/2');
      counts.push(Number(row['Run Instructions']));
      floats.push(row.Float);
    }
    // The report says which float arithmetic each build used.
    expect(floats).toEqual(['soft-float', 'FPU', 'FPU']);
    console.log(`float_cnn run instructions: rv32imac ${counts[0]}, rv32imafc ${counts[1]}, cortexm4_qemu ${counts[2]}`);
    // The FPU replaces libgcc's soft-float calls by single instructions.
    expect(counts[1]).toBeLessThan(counts[0] / 3);
  }, 600_000);
});

