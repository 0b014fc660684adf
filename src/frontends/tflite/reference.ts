// Finds the example inputs and expected outputs stored next to a model (the mlonmcu-models
// layout) and decides how their bytes map onto the model's tensors.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { confinedPath } from '../../core/confine.js';
import type { LoadArtifact, ModelSummary, ReferenceVector, TensorInfo } from '../../core/artifacts.js';
import { MlbenchError } from '../../core/errors.js';
import { DTYPE_BYTES, type DType } from '../../core/model.js';

export type Reference = LoadArtifact['reference'];
type InputFormat = Reference['inputFormat'];
type OutputFormat = Reference['outputFormat'];

const BIN_NAME = /^(\d+)(?:_(\d+))?\.bin$/;

/** Reads a little-endian float32 file; copies so the result never aliases a pooled Buffer. */
export function readFloat32File(path: string): Float32Array {
  const b = readFileSync(path);
  if (b.length % 4 !== 0) {
    throw new MlbenchError('model', `${path}: ${b.length} bytes is not a whole number of float32 values`);
  }
  const out = new Float32Array(b.length / 4);
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

const INT_RANGES: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
};

/** TFLite's quantization: round half away from zero, then clamp to the integer type. */
export function quantize(value: number, scale: number, zeroPoint: number, dtype: DType): number {
  const range = INT_RANGES[dtype];
  if (!range) throw new MlbenchError('unsupported', `cannot quantize to ${dtype}`);
  if (!(scale > 0)) throw new MlbenchError('model', `cannot quantize with scale ${scale}`);
  const scaled = value / scale;
  const rounded = Math.sign(scaled) * Math.round(Math.abs(scaled));
  const q = rounded + zeroPoint;
  return Math.min(range[1], Math.max(range[0], q));
}

interface Definition {
  inputDir?: string;
  outputDir?: string;
  /** Set when the file is not YAML at all: the model runs without its metadata and reference data. */
  unreadable?: string;
}

/**
 * The parts of definition.yml mlbench reads. Everything else in it is left alone, but these
 * must have the right shape: a model folder may come from anyone's zoo.
 */
const DefinitionFile = z
  .object({
    network_parameters: z
      .object({
        input_nodes: z.array(z.object({ example_input: z.object({ path: z.string().optional() }).nullish() }).nullable()).nullish(),
        output_nodes: z.array(z.object({ test_output_path: z.string().nullish() }).nullable()).nullish(),
      })
      .nullish(),
  })
  .nullable();

/** Only the data directories named in definition.yml, when they exist (and lie inside the model folder). */
function readDefinition(modelDir: string): Definition {
  const file = join(modelDir, 'definition.yml');
  if (!existsSync(file)) return {};
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    const first = (e as Error).message.split('\n')[0];
    return { unreadable: `${file}: not valid YAML (${first}); the model runs without its metadata and reference data` };
  }
  const parsed = DefinitionFile.safeParse(doc ?? null);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MlbenchError('model', `${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`, {
      hint: 'network_parameters.input_nodes and output_nodes must be lists of mappings; their paths text',
    });
  }
  const params = parsed.data?.network_parameters;
  const dirOf = (p: string | null | undefined, key: string): string | undefined => {
    if (typeof p !== 'string') return undefined;
    const dir = confinedPath(modelDir, p, `${file}: ${key}`);
    return existsSync(dir) && statSync(dir).isDirectory() && dir !== resolve(modelDir) ? dir : undefined;
  };
  const inputDir = dirOf(params?.input_nodes?.[0]?.example_input?.path, 'example_input.path');
  const outputDir = dirOf(params?.output_nodes?.find((o) => o?.test_output_path)?.test_output_path, 'test_output_path');
  return { inputDir, outputDir };
}

/** Files of a data folder by vector index, then by tensor index (N.bin counts as tensor 0). */
function listBins(dir: string): Map<number, Map<number, string>> {
  const byVector = new Map<number, Map<number, string>>();
  for (const f of readdirSync(dir).sort()) {
    const m = BIN_NAME.exec(f);
    if (!m) continue;
    const n = Number(m[1]);
    const k = m[2] === undefined ? 0 : Number(m[2]);
    if (!byVector.has(n)) byVector.set(n, new Map());
    byVector.get(n)!.set(k, join(dir, f));
  }
  return byVector;
}

function elements(t: TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

/** Integer tensors without quantization (int32 token ids) hold integers, not real values. */
const isPlainInteger = (t: TensorInfo): boolean => t.dtype !== 'float32' && t.scale === undefined;

/**
 * The formats a file of `bytes` bytes can have for tensor t, preferred first. A 4-byte-per-element
 * file of an unquantized int32 tensor is its own type first, float32 values (integers) second.
 */
function inputFormatsFor(t: TensorInfo, bytes: number): InputFormat[] {
  const n = elements(t);
  const own = bytes === n * (DTYPE_BYTES[t.dtype] ?? NaN);
  if (own && isPlainInteger(t)) return bytes === 4 * n ? ['raw', 'float32'] : ['raw'];
  const formats: InputFormat[] = [];
  if (bytes === 4 * n) formats.push('float32');
  // One byte per element into an int8 input with scale 1 / zero point -128: unsigned pixels.
  if (bytes === n && t.dtype === 'int8' && t.scale === 1 && t.zeroPoint === -128) formats.push('uint8-offset');
  if (own) formats.push('raw');
  return formats;
}

function outputFormatsFor(t: TensorInfo, bytes: number): OutputFormat[] {
  const n = elements(t);
  const own = bytes === n * (DTYPE_BYTES[t.dtype] ?? NaN);
  if (own && isPlainInteger(t)) return bytes === 4 * n ? ['raw', 'float32'] : ['raw'];
  return [...(bytes === 4 * n ? (['float32'] as const) : []), ...(own ? (['raw'] as const) : [])];
}

/** One format for all files of a kind (the first file's most preferred one all files allow), or an error naming the file that does not fit. */
function agreeOnFormat<F extends string>(
  files: { path: string; tensor: TensorInfo }[],
  formatsFor: (t: TensorInfo, bytes: number) => F[],
  kind: string,
): F | undefined {
  let formats: F[] | undefined;
  for (const { path, tensor } of files) {
    const bytes = statSync(path).size;
    const fits = formatsFor(tensor, bytes);
    const common = formats ? formats.filter((f) => fits.includes(f)) : fits;
    if (common.length === 0) {
      throw new MlbenchError(
        'model',
        `${path}: ${bytes} bytes does not fit ${kind} ${tensor.name} [${tensor.shape.join('x')}] ${tensor.dtype}` +
          (formats ? ` as ${formats.join(' or ')} like the other files` : ''),
        { hint: 'reference files must hold float32 values or the tensor’s own element type' },
      );
    }
    formats = common;
  }
  return formats?.[0];
}

export function findReference(dir: string, summary: ModelSummary): Reference {
  const modelDir = resolve(dir);
  const none: Reference = { inputFormat: 'raw', outputFormat: 'raw', vectors: [] };
  const def = readDefinition(modelDir);
  if (def.unreadable) return { ...none, warnings: [def.unreadable] };
  const inputDir = def.inputDir ?? join(modelDir, 'input');
  if (!existsSync(inputDir) || summary.inputs.length === 0) return none;
  const outputDir =
    def.outputDir ?? [join(modelDir, 'output_tflite'), join(modelDir, 'output')].find((d) => existsSync(d));

  const inputs = listBins(inputDir);
  const outputs = outputDir ? listBins(outputDir) : new Map<number, Map<number, string>>();
  const vectors: ReferenceVector[] = [];
  const inputFiles: { path: string; tensor: TensorInfo }[] = [];
  const outputFiles: { path: string; tensor: TensorInfo }[] = [];
  for (const n of [...inputs.keys()].sort((a, b) => a - b)) {
    // Files for tensor indices beyond the model's inputs are ignored (the test data of
    // model_with_multiple_outputs carries a fourth input file for a three-input model).
    const ins = summary.inputs.map((_, k) => inputs.get(n)!.get(k));
    if (ins.some((p) => p === undefined)) continue;
    const outMap = outputs.get(n);
    const outs = outMap ? summary.outputs.map((_, k) => outMap.get(k)) : [];
    if (outs.some((p) => p === undefined)) {
      throw new MlbenchError('model', `${outputDir}: reference vector ${n} lacks some of the ${summary.outputs.length} output files`);
    }
    ins.forEach((p, k) => inputFiles.push({ path: p!, tensor: summary.inputs[k] }));
    outs.forEach((p, k) => outputFiles.push({ path: p!, tensor: summary.outputs[k] }));
    vectors.push({ index: n, inputs: ins as string[], outputs: outs as string[] });
  }
  if (vectors.length === 0) return none;
  return {
    inputFormat: agreeOnFormat(inputFiles, inputFormatsFor, 'input') ?? 'raw',
    outputFormat: agreeOnFormat(outputFiles, outputFormatsFor, 'output') ?? 'raw',
    vectors,
  };
}
