// An LSTM (int8, and float32) unrolled the way the TFLite converter does it (UNPACK, FULLY_CONNECTED, SPLIT,
// LOGISTIC, TANH, MUL, ADD; src/frameworks/litert/lstm-model.ts), run end to end with
// `mlbench flow run -f validate` on riscv_qemu, cortexm4_qemu and host_x86 against LiteRT's
// outputs (int8 bit-exact, float32 within validate's float tolerance), and once with `-f profile` (a row per layer, MUL/LOGISTIC/TANH included).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { unrolledLstmModel, type LstmOptions } from '../../src/frameworks/litert/lstm-model.js';
import { float32Bytes, int8Bytes } from '../../src/frameworks/litert/model-builder.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { createRng } from '../../src/frameworks/litert/prng.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const LSTM: LstmOptions = { steps: 4, inputSize: 8, hidden: 8, classes: 4, dtype: 'int8', seed: 5 };
const VECTORS = 3;

const tools = ['qemu-system-riscv32', 'qemu-system-arm', 'riscv64-unknown-elf-gcc', 'arm-none-eabi-gcc', 'gcc'];
const missing = tools.filter((t) => !whichSync(t));
if (missing.length > 0) console.warn(`skipping the LSTM target runs: ${missing.join(', ')} not installed`);

/** The model and LiteRT's outputs for seeded inputs, as a model directory `flow run` reads. */
async function lstmModelDir(dtype: LstmOptions['dtype']): Promise<string> {
  const model = unrolledLstmModel({ ...LSTM, dtype });
  const dir = join(mkdtempSync(join(tmpdir(), 'mlb-lstm-')), model.name);
  mkdirSync(join(dir, 'input'), { recursive: true });
  mkdirSync(join(dir, 'output_tflite'));
  const bytes = writeTflite(model);
  writeFileSync(join(dir, `${model.name}.tflite`), bytes);
  const oracle = await loadOracle();
  const rng = createRng(17);
  for (let v = 0; v < VECTORS; v++) {
    const n = LSTM.steps * LSTM.inputSize;
    const input = dtype === 'int8' ? int8Bytes(Array.from({ length: n }, () => rng.int(-128, 127))) : float32Bytes(Array.from({ length: n }, () => Math.fround(rng.float(-2, 2))));
    const [out] = await oracle.run(bytes, [input]);
    writeFileSync(join(dir, 'input', `${v}.bin`), input);
    writeFileSync(join(dir, 'output_tflite', `${v}.bin`), out);
  }
  oracle.dispose();
  return join(dir, `${model.name}.tflite`);
}

describe.skipIf(missing.length > 0)('LSTM unrolled into UNPACK/FULLY_CONNECTED/SPLIT/LOGISTIC/TANH/MUL/ADD', () => {
  it('validates against LiteRT on riscv_qemu, cortexm4_qemu and host_x86, and profiles per layer', async () => {
    const home = tempHome();
    const targets = ['riscv_qemu', 'cortexm4_qemu', 'host_x86'];
    let session = 0;
    const models = { int8: await lstmModelDir('int8'), float32: await lstmModelDir('float32') };
    for (const [dtype, model] of Object.entries(models)) {
      const counts: string[] = [];
      for (const target of targets) {
        const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', '-t', target, '-f', 'validate']);
        expect(r.exitCode, r.stderr).toBe(0);
        const [row] = readCsv(join(home, 'sessions', String(++session), 'report.csv'));
        expect(row.Status, `${dtype} ${target}: ${row.Reason}`).toBe('ok');
        expect(row.Validation, `${dtype} ${target}`).toBe(`pass ${VECTORS}/${VECTORS}`);
        counts.push(`${target} ${row['Run Instructions']}`);
      }
      console.log(`lstm ${dtype} ${LSTM.steps} steps x ${LSTM.inputSize} -> hidden ${LSTM.hidden}, run instructions: ${counts.join(', ')}`);
    }
    const model = models.int8;

    const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', '-t', 'riscv_qemu', '-f', 'profile']);
    expect(r.exitCode, r.stderr).toBe(0);
    const profiled = join(home, 'sessions', String(++session));
    const [row] = readCsv(join(profiled, 'report.csv'));
    const runDir = join(profiled, 'runs', readdirSync(join(profiled, 'runs'))[0]);
    const layers = readFileSync(join(runDir, 'run', 'profile.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const names = layers.map((l) => l[0]);
    for (const op of ['mul', 'logistic', 'tanh', 'split', 'unpack', 'fully_connected', 'add']) {
      expect(names.some((n) => new RegExp(`^mlb_layer_\\d+_${op}$`).test(n)), `${op} in ${names.join(' ')}`).toBe(true);
    }
    expect(layers.reduce((a, l) => a + Number(l[1]), 0)).toBe(Number(row['Run Instructions']));
    const perOp = new Map<string, number>();
    for (const [name, count] of layers) {
      const op = name.replace(/^mlb_layer_\d+_/, '');
      perOp.set(op, (perOp.get(op) ?? 0) + Number(count));
    }
    console.log(`lstm int8 profile on riscv_qemu by operator: ${[...perOp].map(([op, n]) => `${op} ${n}`).join(', ')}`);
  }, 900_000);
});
