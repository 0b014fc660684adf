// What TFLite Micro runs, the reader accepts: quirks of older converters and unused quantization
// parameters load with a warning; parameters an operator does read are still checked.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/core/artifacts.js';
import { MlbenchError } from '../../src/core/errors.js';
import { ModelBuilder, int32Bytes, int8Bytes, quant } from '../../src/frameworks/litert/model-builder.js';
import { findReference } from '../../src/frontends/tflite/reference.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

/** A 1x1 depthwise conv over 2 channels whose bias quantization is given by the caller. */
function depthwise(biasScale: number[], biasAxis: number, biasUsedAsInput = false): Uint8Array {
  const b = new ModelBuilder();
  const input = b.tensor('input', [1, 2, 2, 2], 'int8', { quantization: quant([0.1], [0]) });
  const weights = b.tensor('weights', [1, 1, 1, 2], 'int8', { quantization: quant([0.01, 0.02], [0, 0], 3), data: int8Bytes([3, -4]) });
  const bias = b.tensor('bias', [2], 'int32', { quantization: { scale: biasScale, zeroPoint: biasScale.map(() => 0), quantizedDimension: biasAxis }, data: int32Bytes([5, 6]) });
  const output = b.tensor('output', [1, 2, 2, 2], 'int8', { quantization: quant([0.05], [1]) });
  const common = { padding: 'VALID' as const, strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, activation: 'NONE' as const };
  b.op('DEPTHWISE_CONV_2D', 3, [input, weights, bias], [output], { kind: 'depthwise_conv2d', depthMultiplier: 1, ...common });
  const outs = [output];
  if (biasUsedAsInput) {
    // The same tensor read as an activation-like operand: now its scale matters.
    const sum = b.tensor('sum', [2], 'int32', { quantization: quant([1], [0]) });
    b.op('ADD', 1, [bias, bias], [sum], { kind: 'add', activation: 'NONE' });
    outs.push(sum);
  }
  return writeTflite(b.finish('lenient', [input], outs));
}

describe('reader leniency', () => {
  it('an unused bias scale of Infinity loads, with its quantization dropped and a warning', () => {
    const model = readTflite(depthwise([Infinity, Infinity], 0), 'inf.tflite');
    const bias = model.tensors[2];
    expect(bias.quantization).toBeUndefined();
    expect(bias.data?.length).toBe(8);
    expect(model.warnings).toEqual(['tensor 2 (bias) has an invalid quantization scale Infinity; ignored, as no operator reads it as quantized']);
  });

  it('an invalid scale on a tensor an operator reads as quantized is still refused', () => {
    const err = (() => { try { readTflite(depthwise([Infinity, Infinity], 0, true), 'inf2.tflite'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).message).toBe('inf2.tflite: tensor 2 (bias) has an invalid quantization scale Infinity');
  });

  it('a 1-D per-channel bias with quantized_dimension 3 (older converters) is read along axis 0', () => {
    const model = readTflite(depthwise([0.001, 0.002], 3), 'qd3.tflite');
    expect(model.tensors[2].quantization?.quantizedDimension).toBe(0);
    expect(model.tensors[2].quantization?.scale.length).toBe(2);
    expect(model.warnings).toEqual(['tensor 2 (bias): quantized_dimension 3 on a 1-D tensor of 2 per-channel scales, read as 0']);
  });

  it('an out-of-range quantized_dimension whose size does not fit is still refused', () => {
    const b = new ModelBuilder();
    const x = b.tensor('x', [2, 3], 'int8', { quantization: { scale: [0.1, 0.2], zeroPoint: [0, 0], quantizedDimension: 5 } });
    const y = b.tensor('y', [2, 3], 'int8', { quantization: quant([0.1], [0]) });
    b.op('ADD', 1, [x, x], [y], { kind: 'add', activation: 'NONE' });
    expect(() => readTflite(writeTflite(b.finish('bad', [x], [y])), 'bad.tflite')).toThrow('bad.tflite: tensor 0 (x): quantized_dimension 5 is outside its shape [2, 3]');
  });

  it('clean models carry no warnings', () => {
    expect(readTflite(depthwise([0.001, 0.002], 0), 'ok.tflite').warnings).toBeUndefined();
  });
});

describe('definition.yml that is not YAML', () => {
  it('is a warning: no reference data, and the reason is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-badyaml-'));
    mkdirSync(join(dir, 'input'));
    writeFileSync(join(dir, 'input', '0.bin'), Buffer.from([1]));
    writeFileSync(join(dir, 'definition.yml'), 'network_parameters:\n  input_nodes: [\n  - : : :\n\t"unterminated\n');
    const summary = { inputs: [{ name: 'x', shape: [1], dtype: 'int8' }], outputs: [{ name: 'y', shape: [1], dtype: 'int8' }] } as unknown as ModelSummary;
    const ref = findReference(dir, summary);
    expect(ref.vectors).toEqual([]);
    expect(ref.warnings?.length).toBe(1);
    expect(ref.warnings?.[0]).toMatch(new RegExp(`^${join(dir, 'definition.yml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid YAML \\(.+\\); the model runs without its metadata and reference data$`));
  });
});

describe('load warnings in the report', () => {
  it('a leniently read model with a broken definition.yml runs; the Warnings column and the summary say why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-warned-'));
    writeFileSync(join(dir, 'warned.tflite'), depthwise([0.001, 0.002], 3));
    writeFileSync(join(dir, 'definition.yml'), 'network_parameters: [\n');
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'compile', join(dir, 'warned.tflite'), '-b', 'mlbaot', '-t', 'host_x86']);
    expect(r.exitCode).toBe(0);
    const [row] = readCsv(join(home, 'sessions', 'latest', 'report.csv'));
    expect(row.Status).toBe('ok');
    expect(row.Warnings).toMatch(/quantized_dimension 3 on a 1-D tensor of 2 per-channel scales, read as 0; .*definition\.yml: not valid YAML/);
    expect(r.stdout).toMatch(/warnings \(see the Warnings column of the report\):\n  warned: .*quantized_dimension 3/);
  }, 120_000);
});
