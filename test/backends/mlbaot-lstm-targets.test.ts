// An int8 LSTM unrolled the way the TFLite converter does it (UNPACK, FULLY_CONNECTED, SPLIT,
// LOGISTIC, TANH, MUL, ADD; src/frameworks/litert/lstm-model.ts), run end to end with
// `mlbench flow run -f validate` on riscv_qemu, cortexm4_qemu and host_x86 against LiteRT's
// outputs, and once with `-f profile` (a row per layer, MUL/LOGISTIC/TANH included).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { unrolledLstmModel, type LstmOptions } from '../../src/frameworks/litert/lstm-model.js';
import { int8Bytes } from '../../src/frameworks/litert/model-builder.js';
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
async function lstmModelDir(): Promise<string> {
  const model = unrolledLstmModel(LSTM);
  const dir = join(mkdtempSync(join(tmpdir(), 'mlb-lstm-')), model.name);
  mkdirSync(join(dir, 'input'), { recursive: true });
  mkdirSync(join(dir, 'output_tflite'));
  const bytes = writeTflite(model);
  writeFileSync(join(dir, `${model.name}.tflite`), bytes);
  const oracle = await loadOracle();
  const rng = createRng(17);
  for (let v = 0; v < VECTORS; v++) {
    const input = int8Bytes(Array.from({ length: LSTM.steps * LSTM.inputSize }, () => rng.int(-128, 127)));
    const [out] = await oracle.run(bytes, [input]);
    writeFileSync(join(dir, 'input', `${v}.bin`), input);
    writeFileSync(join(dir, 'output_tflite', `${v}.bin`), out);
  }
  oracle.dispose();
  return join(dir, `${model.name}.tflite`);
}

describe.skipIf(missing.length > 0)('int8 LSTM unrolled into UNPACK/FULLY_CONNECTED/SPLIT/LOGISTIC/TANH/MUL/ADD', () => {
  it('validates against LiteRT on riscv_qemu, cortexm4_qemu and host_x86, and profiles per layer', async () => {
    const model = await lstmModelDir();
    const home = tempHome();
    const targets = ['riscv_qemu', 'cortexm4_qemu', 'host_x86'];
    const counts: string[] = [];
    for (const [i, target] of targets.entries()) {
      const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', '-t', target, '-f', 'validate']);
      expect(r.exitCode, r.stderr).toBe(0);
      const [row] = readCsv(join(home, 'sessions', String(i + 1), 'report.csv'));
      expect(row.Status, row.Reason).toBe('ok');
      expect(row.Validation).toBe(`pass ${VECTORS}/${VECTORS}`);
      counts.push(`${target} ${row['Run Instructions']}`);
    }
    console.log(`lstm int8 ${LSTM.steps} steps x ${LSTM.inputSize} -> hidden ${LSTM.hidden}, run instructions: ${counts.join(', ')}`);

    const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', '-t', 'riscv_qemu', '-f', 'profile']);
    expect(r.exitCode, r.stderr).toBe(0);
    const session = join(home, 'sessions', String(targets.length + 1));
    const [row] = readCsv(join(session, 'report.csv'));
    const runDir = join(session, 'runs', readdirSync(join(session, 'runs'))[0]);
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
