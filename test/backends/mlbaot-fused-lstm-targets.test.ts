// The fused UNIDIRECTIONAL_SEQUENCE_LSTM zoo models (int8 8x8->16 and float32, zoo-fused-lstm.ts)
// run end to end with `mlbench flow run -f validate` on riscv_qemu, cortexm4_qemu and host_x86,
// once with `-f profile` (a row for the LSTM layer), and through TFLite Micro itself (`-b tflmi`
// on host_x86) against the same reference outputs. LiteRT.js cannot load variable tensors, so the
// reference is TFLite Micro's arithmetic in TypeScript (tflm-lstm-reference.ts); the tflmi run is
// what shows that reference equals TFLite Micro (int8 bit-exact, float32 within the tolerance).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { fusedLstmFloat32, fusedLstmInt8, FUSED_LSTM } from '../../src/frameworks/litert/zoo-fused-lstm.js';
import { writeZooModel } from '../../src/frameworks/litert/zoo-model.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const VECTORS = 3;
const TARGETS = ['riscv_qemu', 'cortexm4_qemu', 'host_x86'];
const tools = ['qemu-system-riscv32', 'qemu-system-arm', 'riscv64-unknown-elf-gcc', 'arm-none-eabi-gcc', 'gcc'];
const missing = tools.filter((t) => !whichSync(t));
if (!process.env.MLBENCH_TFLM_DIR) missing.push('MLBENCH_TFLM_DIR (TFLite Micro tree)');
if (missing.length > 0) console.warn(`skipping the fused-LSTM target runs: ${missing.join(', ')} not available`);

describe.skipIf(missing.length > 0)('fused UNIDIRECTIONAL_SEQUENCE_LSTM on the targets', () => {
  it('validates on riscv_qemu, cortexm4_qemu and host_x86, matches TFLite Micro, and profiles the layer', async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'mlb-fused-lstm-'));
    const models = [await writeZooModel(fusedLstmInt8, dir, undefined, VECTORS), await writeZooModel(fusedLstmFloat32, dir, undefined, VECTORS)];
    let session = 0;
    const r = await mlbench(home, ['flow', 'run', ...models, '-b', 'mlbaot', ...TARGETS.flatMap((t) => ['-t', t]), '-f', 'validate', '-j', '2']);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = readCsv(join(home, 'sessions', String(++session), 'report.csv'));
    expect(rows).toHaveLength(2 * TARGETS.length);
    for (const row of rows) {
      expect(row.Status, `${row.Model} ${row.Target}: ${row.Reason}`).toBe('ok');
      expect(row.Validation, `${row.Model} ${row.Target}`).toBe(`pass ${VECTORS}/${VECTORS}`);
    }
    console.log(`fused LSTM ${FUSED_LSTM.steps} steps x ${FUSED_LSTM.inputSize} -> state ${FUSED_LSTM.hidden}, run instructions: ${rows.map((x) => `${x.Model} ${x.Target} ${x['Run Instructions']}`).join(', ')}`);

    // TFLite Micro itself (interpreter, reference kernels) against the same reference outputs.
    // tflmi's arena estimate does not count the LSTM's scratch buffers.
    const t = await mlbench(home, ['flow', 'run', ...models, '-b', 'tflmi', '-t', 'host_x86', '-f', 'validate', '-c', 'tflmi.arena_size=65536']);
    expect(t.exitCode, t.stderr).toBe(0);
    for (const row of readCsv(join(home, 'sessions', String(++session), 'report.csv'))) {
      expect(row.Validation, `TFLite Micro on ${row.Model}: ${row.Reason}`).toBe(`pass ${VECTORS}/${VECTORS}`);
    }

    const p = await mlbench(home, ['flow', 'run', models[0], '-b', 'mlbaot', '-t', 'riscv_qemu', '-f', 'profile']);
    expect(p.exitCode, p.stderr).toBe(0);
    const profiled = join(home, 'sessions', String(++session));
    const [row] = readCsv(join(profiled, 'report.csv'));
    const runDir = join(profiled, 'runs', readdirSync(join(profiled, 'runs'))[0]);
    const layers = readFileSync(join(runDir, 'run', 'profile.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    // The layer's row, and the invoke's own few instructions outside it.
    expect(layers[0][0]).toBe('mlb_layer_0_unidirectional_sequence_lstm');
    expect(layers.reduce((a, l) => a + Number(l[1]), 0)).toBe(Number(row['Run Instructions']));
    console.log(`fused LSTM int8 profile on riscv_qemu: ${layers.map((l) => `${l[0]} ${l[1]}`).join(', ')}`);
  }, 1_800_000);
});
