// A 16x8 CNN (int16 activations, int8 per-channel weights, int64 bias: CONV_2D, DEPTHWISE_CONV_2D,
// RESHAPE, FULLY_CONNECTED) run end to end with `mlbench flow run -f validate` on riscv_qemu,
// cortexm4_qemu and host_x86, its int16 outputs validated element-wise against LiteRT's.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { cnn16x8Files } from '../../src/frameworks/litert/models-16x8.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const tools = ['qemu-system-riscv32', 'qemu-system-arm', 'riscv64-unknown-elf-gcc', 'arm-none-eabi-gcc', 'gcc'];
const missing = tools.filter((t) => !whichSync(t));
if (missing.length > 0) console.warn(`skipping 16x8 target runs: ${missing.join(', ')} not installed`);

describe.skipIf(missing.length > 0)('16x8 CNN on three targets', () => {
  it('validates int16 outputs against LiteRT on riscv_qemu, cortexm4_qemu and host_x86', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mlb-cnn16x8-')), 'cnn_16x8');
    mkdirSync(join(dir, 'input'), { recursive: true });
    mkdirSync(join(dir, 'output_tflite'));
    const files = await cnn16x8Files(2);
    writeFileSync(join(dir, 'cnn_16x8.tflite'), files.tflite);
    files.vectors.forEach((v, i) => {
      writeFileSync(join(dir, 'input', `${i}.bin`), v.input);
      writeFileSync(join(dir, 'output_tflite', `${i}.bin`), v.output);
    });

    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', join(dir, 'cnn_16x8.tflite'), '-b', 'mlbaot', '-t', 'riscv_qemu', '-t', 'cortexm4_qemu', '-t', 'host_x86', '-f', 'validate']);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows.map((row) => row.Target).sort()).toEqual(['cortexm4_qemu', 'host_x86', 'riscv_qemu']);
    for (const row of rows) {
      expect(row.Status, row.Reason).toBe('ok');
      expect(row.Validation).toMatch(/^pass 2\/2/);
    }
    // The harness compares int16 elements: an expected value off by 2 LSB fails, and with
    // validate.tolerance=2 passes again (an opaque byte comparison could do neither).
    const out = new Int16Array(files.vectors[0].output.slice().buffer);
    out[3] += 2;
    writeFileSync(join(dir, 'output_tflite', '0.bin'), new Uint8Array(out.buffer));
    const strict = await mlbench(home, ['flow', 'run', join(dir, 'cnn_16x8.tflite'), '-b', 'mlbaot', '-t', 'host_x86', '-f', 'validate']);
    const [failed] = readCsv(join(home, 'sessions', '2', 'report.csv'));
    expect(failed.Validation, strict.stderr).toMatch(/^fail 1\/2/);
    await mlbench(home, ['flow', 'run', join(dir, 'cnn_16x8.tflite'), '-b', 'mlbaot', '-t', 'host_x86', '-f', 'validate', '-c', 'validate.tolerance=2']);
    const [tolerant] = readCsv(join(home, 'sessions', '3', 'report.csv'));
    expect(tolerant.Validation).toMatch(/^pass 2\/2 \(max 2 LSB/);
    console.log(`cnn_16x8 validation: exact ${rows[0].Validation}; one element off by 2: ${failed.Validation}; tolerance 2: ${tolerant.Validation}`);
    console.log(`cnn_16x8 run instructions: ${rows.map((row) => `${row.Target} ${row['Run Instructions']} (${row.Validation})`).join(', ')}`);
  }, 600_000);
});
