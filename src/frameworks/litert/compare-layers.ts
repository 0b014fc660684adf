// Layer-by-layer comparison of mlbaot against the LiteRT oracle: the model is rewritten so every
// intermediate tensor is an output, both engines run it on the same input, and the first layer
// whose output drifts beyond tolerance is named — the place to look for a kernel bug.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MlbenchError } from '../../core/errors.js';
import type { DType, Model, Tensor } from '../../core/model.js';
import { exposeAllTensors, readTflite, writeTflite } from '../../frontends/tflite/index.js';
import { findReference, quantize, readFloat32File } from '../../frontends/tflite/reference.js';
import { summarize } from '../../frontends/tflite/summary.js';
import { runMlbaotOnHost, type EngineRunOptions } from './engine-runner.js';
import { loadOracle, type Oracle } from './oracle.js';
import { float32Bytes } from './model-builder.js';
import { diffTensors } from './tensor-diff.js';
import { isolateOperators } from './isolate-layers.js';

/**
 * One operator's agreement with the oracle. The main figures come from the operator run in
 * isolation on the oracle's own input tensors (its kernel's error alone); `propagated` is the
 * same tensor when the engine runs the whole model, where earlier ±1 differences build up.
 */
export interface LayerDiff {
  /** Operator index in invoke order. */
  index: number;
  opcode: string;
  tensorName: string;
  dtype: DType;
  elements: number;
  /** Largest |oracle − engine|: in LSB for integer tensors, in real units for float ones. */
  maxDiff: number;
  differing: number;
  /** Integer tensors: elements off by exactly one LSB (expected rarely: fixed-point vs fp32 requantization). */
  offByOne: number;
  withinTolerance: boolean;
  propagated: { maxDiff: number; differing: number };
}

export interface LayerComparison {
  model: string;
  /** Reference vector index, when the input came from the model's reference data. */
  vector?: number;
  toleranceLsb: number;
  floatTolerance: number;
  layers: LayerDiff[];
  /** First layer (invoke order) whose output is beyond tolerance; undefined when all agree. */
  firstDifferingLayer?: LayerDiff;
}

export interface CompareLayersOptions {
  /** Integer tensors may differ by this many LSB (default 1: TFLM fixed-point vs XNNPACK fp32). */
  toleranceLsb?: number;
  /** Float tensors: allowed |diff| relative to max(1, |oracle value|) (default 1e-5). */
  floatTolerance?: number;
  /** Changes the model for the engine side only (tests use it to plant a fault). */
  engineModel?: (model: Model) => Model;
  /** An already loaded oracle; loaded (and kept for the process) otherwise. */
  oracle?: Oracle;
  engine?: EngineRunOptions;
}

export type CompareLayersInput = Uint8Array[] | { vector: number; modelDir: string };

function readModel(path: string): { bytes: Uint8Array; model: Model } {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new MlbenchError('model', `cannot read model file ${path}`, { hint: 'check the model path', cause: e });
  }
  return { bytes, model: readTflite(bytes, basename(path)) };
}

/** One reference input file as the raw bytes the model's input tensor takes. */
function referenceInputBytes(file: string, format: 'float32' | 'uint8-offset' | 'raw', t: Tensor): Uint8Array {
  if (format === 'raw') return new Uint8Array(readFileSync(file));
  const zp = t.quantization?.zeroPoint[0] ?? 0;
  if (format === 'uint8-offset') return Uint8Array.from(readFileSync(file), (p) => (p + zp) & 0xff);
  const values = readFloat32File(file);
  if (t.dtype === 'float32') return float32Bytes(values);
  if (t.dtype !== 'int8' && t.dtype !== 'uint8') throw new MlbenchError('unsupported', `cannot feed reference data to a ${t.dtype} input`);
  const scale = t.quantization?.scale[0];
  if (scale === undefined) throw new MlbenchError('model', `input ${t.name} is ${t.dtype} without quantization`);
  const q = Array.from(values, (v) => quantize(v, scale, zp, t.dtype));
  return t.dtype === 'int8' ? new Uint8Array(Int8Array.from(q).buffer) : Uint8Array.from(q);
}

function resolveInput(input: CompareLayersInput, model: Model, bytes: Uint8Array): { inputs: Uint8Array[]; vector?: number } {
  if (Array.isArray(input)) return { inputs: input };
  const reference = findReference(input.modelDir, summarize(model, bytes));
  const v = reference.vectors.find((r) => r.index === input.vector);
  if (!v) {
    const have = reference.vectors.map((r) => r.index).join(', ') || 'none';
    throw new MlbenchError('config', `reference vector ${input.vector} not found in ${input.modelDir}`, { hint: `available: ${have}` });
  }
  return {
    vector: input.vector,
    inputs: model.inputs.map((ti, k) => referenceInputBytes(v.inputs[k], reference.inputFormat, model.tensors[ti])),
  };
}

export async function compareLayers(modelPath: string, input: CompareLayersInput, opts: CompareLayersOptions = {}): Promise<LayerComparison> {
  const toleranceLsb = opts.toleranceLsb ?? 1;
  const floatTolerance = opts.floatTolerance ?? 1e-5;
  const { bytes, model } = readModel(modelPath);
  const { inputs, vector } = resolveInput(input, model, bytes);
  const exposed = exposeAllTensors(model);
  const engineBase = opts.engineModel ? opts.engineModel(model) : model;
  const isolated = isolateOperators(engineBase);

  const oracle = opts.oracle ?? (await loadOracle());
  const expected = await oracle.run(writeTflite(exposed), inputs);
  const position = new Map(exposed.outputs.map((t, i) => [t, i]));
  const valueOf = (ix: number): Uint8Array => {
    const k = model.inputs.indexOf(ix);
    return k >= 0 ? inputs[k] : expected[position.get(ix)!];
  };
  const isolatedInputs = isolated.inputSources.flatMap((sources) => sources.map(valueOf));

  const [propagated] = await runMlbaotOnHost(writeTflite(exposeAllTensors(engineBase)), [inputs], subDir(opts.engine, 'whole'));
  const [alone] = await runMlbaotOnHost(writeTflite(isolated.model), [isolatedInputs], subDir(opts.engine, 'isolated'));
  if (propagated?.length !== exposed.outputs.length || alone?.length !== isolated.model.outputs.length) {
    throw new MlbenchError('tool-failed', 'mlbaot returned a different number of outputs than the model has');
  }

  const layers = model.operators.map((op, i): LayerDiff => {
    const t = model.tensors[op.outputs[0]];
    const want = expected[position.get(op.outputs[0])!];
    const d = diffTensors(want, alone[isolated.outputPositions[i][0]], t.dtype);
    const p = diffTensors(want, propagated[position.get(op.outputs[0])!], t.dtype);
    const withinTolerance = t.dtype === 'float32' ? floatsAgree(want, alone[isolated.outputPositions[i][0]], floatTolerance) : d.maxDiff <= toleranceLsb;
    return {
      index: op.index, opcode: op.opcode, tensorName: t.name, dtype: t.dtype, elements: d.elements,
      maxDiff: d.maxDiff, differing: d.differing, offByOne: d.offByOne, withinTolerance,
      propagated: { maxDiff: p.maxDiff, differing: p.differing },
    };
  });
  return { model: basename(modelPath), vector, toleranceLsb, floatTolerance, layers, firstDifferingLayer: layers.find((l) => !l.withinTolerance) };
}

function floatsAgree(want: Uint8Array, got: Uint8Array, tolerance: number): boolean {
  const a = new Float32Array(want.slice().buffer);
  const b = new Float32Array(got.slice().buffer);
  return a.every((r, i) => Math.abs(r - b[i]) <= tolerance * Math.max(1, Math.abs(r)));
}

function subDir(o: EngineRunOptions | undefined, name: string): EngineRunOptions | undefined {
  return o?.workDir ? { ...o, workDir: join(o.workDir, name) } : o;
}

function pad(s: string | number, n: number, right = false): string {
  const text = String(s);
  return right ? text.padStart(n) : text.padEnd(n);
}

/** A plain-text table for the `compare-layers` command. */
export function formatLayerComparison(r: LayerComparison): string {
  const nameWidth = Math.min(48, Math.max(13, ...r.layers.map((l) => l.tensorName.length)));
  const lines = [
    `${r.model}${r.vector === undefined ? '' : ` (reference vector ${r.vector})`}: mlbaot vs. LiteRT oracle, tolerance ±${r.toleranceLsb} LSB (int), ${r.floatTolerance} relative (float)`,
    `${pad('#', 4, true)}  ${pad('opcode', 18)} ${pad('output tensor', nameWidth)} ${pad('elements', 8, true)} ${pad('max|diff|', 10, true)} ${pad('differing', 9, true)} ${pad('±1', 6, true)}  ok  ${pad('whole-model max|diff|', 21, true)} ${pad('differing', 9, true)}`,
    '      (the first figures: each layer alone on the oracle\'s inputs; the last two: running the whole model)',
  ];
  for (const l of r.layers) {
    const name = l.tensorName.length > nameWidth ? `…${l.tensorName.slice(-(nameWidth - 1))}` : l.tensorName;
    const diff = l.dtype === 'float32' ? l.maxDiff.toPrecision(3) : String(l.maxDiff);
    lines.push(
      `${pad(l.index, 4, true)}  ${pad(l.opcode, 18)} ${pad(name, nameWidth)} ${pad(l.elements, 8, true)} ${pad(diff, 10, true)} ${pad(l.differing, 9, true)} ${pad(l.offByOne, 6, true)}  ${l.withinTolerance ? 'yes' : 'NO '}  ${pad(l.dtype === 'float32' ? l.propagated.maxDiff.toPrecision(3) : l.propagated.maxDiff, 21, true)} ${pad(l.propagated.differing, 9, true)}`,
    );
  }
  const f = r.firstDifferingLayer;
  lines.push(
    f
      ? `first layer beyond tolerance: #${f.index} ${f.opcode} (${f.tensorName}), max |diff| ${f.maxDiff}${f.dtype === 'float32' ? '' : ' LSB'}, ${f.differing}/${f.elements} elements differ`
      : `all ${r.layers.length} layers agree within tolerance`,
  );
  return `${lines.join('\n')}\n`;
}
