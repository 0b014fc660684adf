// The builtin options tflmc fixes in its generated C++: for each operator, the struct TFLM's
// parser fills (tensorflow/lite/core/c/builtin_op_data.h at 19aaea85) and its fields in
// declaration order. One table drives both sides: the host recorder prints the fields as numbers,
// and the emitter writes them back as designated initializers (which g++ checks against the
// declaration order, so a field listed out of order fails the build instead of shifting values).
import { cFloat } from '../tvm/model-api.js';

/** How a field is printed and written back: a C++ scalar, an enum, or an int array. */
export type OptionFieldKind = 'int' | 'bool' | 'float' | { enumType: string } | { ints: number };

export interface OptionField {
  /** Member path inside the struct, e.g. `computed.padding.width`. */
  path: string;
  kind: OptionFieldKind;
}

export interface OptionStruct {
  struct: string;
  fields: OptionField[];
}

const padding: OptionField = { path: 'padding', kind: { enumType: 'TfLitePadding' } };
const activation: OptionField = { path: 'activation', kind: { enumType: 'TfLiteFusedActivation' } };
const biasType: OptionField = { path: 'quantized_bias_type', kind: { enumType: 'TfLiteType' } };
const ints = (...paths: string[]): OptionField[] => paths.map((path) => ({ path, kind: 'int' as const }));

const POOL: OptionStruct = {
  struct: 'TfLitePoolParams',
  fields: [
    padding,
    ...ints('stride_width', 'stride_height', 'filter_width', 'filter_height'),
    activation,
    ...ints('computed.padding.width', 'computed.padding.height', 'computed.padding.width_offset', 'computed.padding.height_offset'),
  ],
};
const REDUCER: OptionStruct = { struct: 'TfLiteReducerParams', fields: [{ path: 'keep_dims', kind: 'bool' }] };
const ARITHMETIC = (struct: string): OptionStruct => ({ struct, fields: [activation, { path: 'pot_scale_int16', kind: 'bool' }] });

/** Builtin operator name → the options struct its parser fills. Operators without options are absent. */
export const OPTION_STRUCTS: Record<string, OptionStruct> = {
  CONV_2D: {
    struct: 'TfLiteConvParams',
    fields: [padding, ...ints('stride_width', 'stride_height'), activation, ...ints('dilation_width_factor', 'dilation_height_factor'), biasType],
  },
  DEPTHWISE_CONV_2D: {
    struct: 'TfLiteDepthwiseConvParams',
    fields: [padding, ...ints('stride_width', 'stride_height', 'depth_multiplier'), activation, ...ints('dilation_width_factor', 'dilation_height_factor')],
  },
  AVERAGE_POOL_2D: POOL,
  MAX_POOL_2D: POOL,
  L2_POOL_2D: POOL,
  FULLY_CONNECTED: {
    struct: 'TfLiteFullyConnectedParams',
    fields: [
      activation,
      { path: 'weights_format', kind: { enumType: 'TfLiteFullyConnectedWeightsFormat' } },
      { path: 'keep_num_dims', kind: 'bool' },
      { path: 'asymmetric_quantize_inputs', kind: 'bool' },
      biasType,
    ],
  },
  SOFTMAX: { struct: 'TfLiteSoftmaxParams', fields: [{ path: 'beta', kind: 'float' }] },
  RESHAPE: { struct: 'TfLiteReshapeParams', fields: [{ path: 'shape', kind: { ints: 8 } }, ...ints('num_dimensions')] },
  SQUEEZE: { struct: 'TfLiteSqueezeParams', fields: [{ path: 'squeeze_dims', kind: { ints: 8 } }, ...ints('num_squeeze_dims')] },
  ADD: ARITHMETIC('TfLiteAddParams'),
  SUB: ARITHMETIC('TfLiteSubParams'),
  MUL: { struct: 'TfLiteMulParams', fields: [activation] },
  CONCATENATION: { struct: 'TfLiteConcatenationParams', fields: [...ints('axis'), activation] },
  MEAN: REDUCER,
  SUM: REDUCER,
  REDUCE_MAX: REDUCER,
  LEAKY_RELU: { struct: 'TfLiteLeakyReluParams', fields: [{ path: 'alpha', kind: 'float' }] },
};

const width = (kind: OptionFieldKind): number => (typeof kind === 'object' && 'ints' in kind ? kind.ints : 1);

/** How many numbers the recorder prints for a struct. */
export function optionValueCount(s: OptionStruct): number {
  return s.fields.reduce((n, f) => n + width(f.kind), 0);
}

/** Recorder C++ that prints `p`'s fields (a `const <struct>*`) as a JSON array of numbers. */
export function recorderPrinter(s: OptionStruct): string {
  const parts = s.fields.flatMap((f) => {
    if (typeof f.kind === 'object' && 'ints' in f.kind) {
      return Array.from({ length: f.kind.ints }, (_, i) => `mlb_int((long)p->${f.path}[${i}]);`);
    }
    return [f.kind === 'float' ? `mlb_float((double)p->${f.path});` : `mlb_int((long)p->${f.path});`];
  });
  return `{ const ${s.struct} *p = static_cast<const ${s.struct} *>(data); printf("["); ${parts.join(' printf(","); ')} printf("]"); }`;
}

function fieldValue(kind: OptionFieldKind, values: number[]): string {
  if (kind === 'float') {
    if (!Number.isFinite(values[0])) throw new Error(`non-finite option value ${values[0]}`);
    return cFloat(values[0]);
  }
  if (values.some((v) => !Number.isInteger(v))) throw new Error(`non-integer option value in ${values.join(',')}`);
  if (kind === 'bool') return values[0] ? 'true' : 'false';
  if (kind === 'int') return String(values[0]);
  if ('enumType' in kind) return `static_cast<${kind.enumType}>(${values[0]})`;
  return `{${values.join(', ')}}`;
}

/**
 * A designated initializer for the struct from the recorded numbers (nested members grouped),
 * e.g. `{.padding = static_cast<TfLitePadding>(1), .stride_width = 1, ...}`.
 */
export function optionInitializer(s: OptionStruct, values: number[]): string {
  if (values.length !== optionValueCount(s)) throw new Error(`${s.struct}: ${values.length} values recorded, ${optionValueCount(s)} expected`);
  type Tree = Map<string, Tree | string>;
  const root: Tree = new Map();
  let at = 0;
  for (const f of s.fields) {
    const n = width(f.kind);
    const parts = f.path.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) {
      if (!node.has(p)) node.set(p, new Map());
      node = node.get(p) as Tree;
    }
    node.set(parts[parts.length - 1], fieldValue(f.kind, values.slice(at, at + n)));
    at += n;
  }
  const render = (t: Tree): string => `{${[...t].map(([k, v]) => `.${k} = ${typeof v === 'string' ? v : render(v)}`).join(', ')}}`;
  return render(root);
}
