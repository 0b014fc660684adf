// Decodes the builtin option tables of the operators mlbench computes on, with range checks:
// a flipped byte must give an error, not a convolution with stride 0 or padding 7.
import type { Activation, OperatorOptions, Padding } from '../../core/model.js';
import type { CheckedBuffer, TableRef } from './checked-buffer.js';
import { ACTIVATIONS, OPTIONS_TYPE, PADDINGS, SLOT, WEIGHTS_FORMATS } from './schema.js';

/** The options table each decoded operator carries, and whether it may be left out. */
const EXPECTED_OPTIONS: Readonly<Record<string, { type: number; optional: boolean }>> = {
  CONV_2D: { type: OPTIONS_TYPE.Conv2DOptions, optional: false },
  DEPTHWISE_CONV_2D: { type: OPTIONS_TYPE.DepthwiseConv2DOptions, optional: false },
  AVERAGE_POOL_2D: { type: OPTIONS_TYPE.Pool2DOptions, optional: false },
  MAX_POOL_2D: { type: OPTIONS_TYPE.Pool2DOptions, optional: false },
  L2_POOL_2D: { type: OPTIONS_TYPE.Pool2DOptions, optional: false },
  FULLY_CONNECTED: { type: OPTIONS_TYPE.FullyConnectedOptions, optional: true },
  SOFTMAX: { type: OPTIONS_TYPE.SoftmaxOptions, optional: false },
  ADD: { type: OPTIONS_TYPE.AddOptions, optional: true },
  RESHAPE: { type: OPTIONS_TYPE.ReshapeOptions, optional: true },
  SUB: { type: OPTIONS_TYPE.SubOptions, optional: true },
  MUL: { type: OPTIONS_TYPE.MulOptions, optional: true },
  CONCATENATION: { type: OPTIONS_TYPE.ConcatenationOptions, optional: false },
  PAD: { type: OPTIONS_TYPE.PadOptions, optional: true },
  SQUEEZE: { type: OPTIONS_TYPE.SqueezeOptions, optional: true },
  SPLIT: { type: OPTIONS_TYPE.SplitOptions, optional: false },
  UNPACK: { type: OPTIONS_TYPE.UnpackOptions, optional: false },
  GATHER: { type: OPTIONS_TYPE.GatherOptions, optional: true },
  MAXIMUM: { type: OPTIONS_TYPE.MaximumMinimumOptions, optional: true },
  MINIMUM: { type: OPTIONS_TYPE.MaximumMinimumOptions, optional: true },
  MEAN: { type: OPTIONS_TYPE.ReducerOptions, optional: true },
  REDUCE_MAX: { type: OPTIONS_TYPE.ReducerOptions, optional: true },
  STRIDED_SLICE: { type: OPTIONS_TYPE.StridedSliceOptions, optional: true },
  LEAKY_RELU: { type: OPTIONS_TYPE.LeakyReluOptions, optional: true },
  TRANSPOSE_CONV: { type: OPTIONS_TYPE.TransposeConvOptions, optional: false },
  RESIZE_NEAREST_NEIGHBOR: { type: OPTIONS_TYPE.ResizeNearestNeighborOptions, optional: true },
  UNIDIRECTIONAL_SEQUENCE_LSTM: { type: OPTIONS_TYPE.UnidirectionalSequenceLSTMOptions, optional: false },
};

const OPTIONS_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(OPTIONS_TYPE).map(([name, n]) => [n, name]),
);

function optionsName(type: number): string {
  return OPTIONS_NAMES[type] ?? `options type ${type}`;
}

export function decodeOptions(
  cb: CheckedBuffer,
  op: TableRef,
  opcode: string,
  what: string,
): OperatorOptions {
  const optionsType = cb.fieldU8(op, SLOT.Operator.builtin_options_type, 0);
  const table = cb.fieldTable(op, SLOT.Operator.builtin_options, `${what} options`);
  const expected = EXPECTED_OPTIONS[opcode];
  if (!expected) {
    return optionsType === OPTIONS_TYPE.NONE ? { kind: 'none' } : { kind: 'other', optionsType };
  }
  if (optionsType !== expected.type && !(optionsType === OPTIONS_TYPE.NONE && expected.optional)) {
    cb.fail(`${what} (${opcode}) has ${optionsName(optionsType)}, expected ${optionsName(expected.type)}`);
  }
  if (optionsType !== OPTIONS_TYPE.NONE && !table) cb.fail(`${what} (${opcode}) names ${optionsName(optionsType)} but has no options table`);
  // Absent optional tables decode as their schema defaults, as TFLite does.
  const t = optionsType === OPTIONS_TYPE.NONE ? undefined : table;
  const positive = (v: number, field: string): number => {
    if (v < 1) cb.fail(`${what} (${opcode}): ${field} must be >= 1, found ${v}`);
    return v;
  };
  const activation = (slot: number): Activation => {
    const v = t ? cb.fieldI8(t, slot, 0) : 0;
    const a = ACTIVATIONS[v];
    if (a === undefined) cb.fail(`${what} (${opcode}): unknown fused activation ${v}`);
    return a;
  };
  const padding = (slot: number): Padding => {
    const v = t ? cb.fieldI8(t, slot, 0) : 0;
    const p = PADDINGS[v];
    if (p === undefined) cb.fail(`${what} (${opcode}): unknown padding ${v}`);
    return p;
  };
  const int = (slot: number, dflt: number): number => (t ? cb.fieldI32(t, slot, dflt) : dflt);
  // Kept only when false, so models that never set it read as before.
  const potScale = (slot: number): { potScaleInt16?: false } => (t && !cb.fieldBool(t, slot, true) ? { potScaleInt16: false } : {});

  switch (opcode) {
    case 'CONV_2D': {
      const s = SLOT.Conv2DOptions;
      return {
        kind: 'conv2d',
        padding: padding(s.padding),
        strideW: positive(int(s.stride_w, 0), 'stride_w'),
        strideH: positive(int(s.stride_h, 0), 'stride_h'),
        dilationW: positive(int(s.dilation_w_factor, 1), 'dilation_w_factor'),
        dilationH: positive(int(s.dilation_h_factor, 1), 'dilation_h_factor'),
        activation: activation(s.fused_activation_function),
      };
    }
    case 'DEPTHWISE_CONV_2D': {
      const s = SLOT.DepthwiseConv2DOptions;
      return {
        kind: 'depthwise_conv2d',
        padding: padding(s.padding),
        strideW: positive(int(s.stride_w, 0), 'stride_w'),
        strideH: positive(int(s.stride_h, 0), 'stride_h'),
        // Redundant in the schema (the filter shape decides); newer converters may write 0.
        depthMultiplier: int(s.depth_multiplier, 0),
        dilationW: positive(int(s.dilation_w_factor, 1), 'dilation_w_factor'),
        dilationH: positive(int(s.dilation_h_factor, 1), 'dilation_h_factor'),
        activation: activation(s.fused_activation_function),
      };
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
    case 'L2_POOL_2D': {
      const s = SLOT.Pool2DOptions;
      return {
        kind: 'pool2d',
        padding: padding(s.padding),
        strideW: positive(int(s.stride_w, 0), 'stride_w'),
        strideH: positive(int(s.stride_h, 0), 'stride_h'),
        filterWidth: positive(int(s.filter_width, 0), 'filter_width'),
        filterHeight: positive(int(s.filter_height, 0), 'filter_height'),
        activation: activation(s.fused_activation_function),
      };
    }
    case 'FULLY_CONNECTED': {
      const s = SLOT.FullyConnectedOptions;
      const wf = t ? cb.fieldI8(t, s.weights_format, 0) : 0;
      const weightsFormat = WEIGHTS_FORMATS[wf];
      if (weightsFormat === undefined) cb.fail(`${what} (${opcode}): unknown weights_format ${wf}`);
      return {
        kind: 'fully_connected',
        activation: activation(s.fused_activation_function),
        weightsFormat,
        keepNumDims: t ? cb.fieldBool(t, s.keep_num_dims, false) : false,
        asymmetricQuantizeInputs: t ? cb.fieldBool(t, s.asymmetric_quantize_inputs, false) : false,
      };
    }
    case 'SOFTMAX': {
      const beta = t ? cb.fieldF32(t, SLOT.SoftmaxOptions.beta, 0) : 0;
      if (!Number.isFinite(beta) || beta <= 0) cb.fail(`${what} (${opcode}): softmax beta must be a positive number, found ${beta}`);
      return { kind: 'softmax', beta };
    }
    case 'ADD':
      return { kind: 'add', activation: activation(SLOT.AddOptions.fused_activation_function), ...potScale(SLOT.AddOptions.pot_scale_int16) };
    case 'SUB':
      return { kind: 'sub', activation: activation(SLOT.SubOptions.fused_activation_function), ...potScale(SLOT.SubOptions.pot_scale_int16) };
    case 'MUL':
      return { kind: 'mul', activation: activation(SLOT.MulOptions.fused_activation_function) };
    case 'CONCATENATION':
      return {
        kind: 'concatenation',
        axis: int(SLOT.ConcatenationOptions.axis, 0),
        activation: activation(SLOT.ConcatenationOptions.fused_activation_function),
      };
    case 'PAD':
    case 'MAXIMUM':
    case 'MINIMUM':
      return { kind: 'none' };
    case 'SQUEEZE':
      return { kind: 'squeeze', squeezeDims: (t ? cb.fieldI32Array(t, SLOT.SqueezeOptions.squeeze_dims, `${what} squeeze_dims`) : undefined) ?? [] };
    case 'SPLIT':
      return { kind: 'split', numSplits: positive(int(SLOT.SplitOptions.num_splits, 0), 'num_splits') };
    case 'UNPACK':
      return { kind: 'unpack', num: positive(int(SLOT.UnpackOptions.num, 0), 'num'), axis: int(SLOT.UnpackOptions.axis, 0) };
    case 'GATHER':
      return { kind: 'gather', axis: int(SLOT.GatherOptions.axis, 0), batchDims: int(SLOT.GatherOptions.batch_dims, 0) };
    case 'RESHAPE': {
      const newShape = t ? cb.fieldI32Array(t, SLOT.ReshapeOptions.new_shape, `${what} new_shape`) : undefined;
      return newShape === undefined ? { kind: 'reshape' } : { kind: 'reshape', newShape };
    }
    case 'MEAN':
    case 'REDUCE_MAX':
      return { kind: 'reducer', keepDims: t ? cb.fieldBool(t, SLOT.ReducerOptions.keep_dims, false) : false };
    case 'STRIDED_SLICE': {
      const s = SLOT.StridedSliceOptions;
      return {
        kind: 'strided_slice',
        beginMask: int(s.begin_mask, 0),
        endMask: int(s.end_mask, 0),
        ellipsisMask: int(s.ellipsis_mask, 0),
        newAxisMask: int(s.new_axis_mask, 0),
        shrinkAxisMask: int(s.shrink_axis_mask, 0),
        offset: t ? cb.fieldBool(t, s.offset, false) : false,
      };
    }
    case 'LEAKY_RELU': {
      const alpha = t ? cb.fieldF32(t, SLOT.LeakyReluOptions.alpha, 0) : 0;
      if (!Number.isFinite(alpha)) cb.fail(`${what} (${opcode}): alpha must be a finite number, found ${alpha}`);
      return { kind: 'leaky_relu', alpha };
    }
    case 'TRANSPOSE_CONV': {
      const s = SLOT.TransposeConvOptions;
      return {
        kind: 'transpose_conv',
        padding: padding(s.padding),
        strideW: positive(int(s.stride_w, 0), 'stride_w'),
        strideH: positive(int(s.stride_h, 0), 'stride_h'),
        activation: activation(s.fused_activation_function),
      };
    }
    case 'RESIZE_NEAREST_NEIGHBOR': {
      const s = SLOT.ResizeNearestNeighborOptions;
      return {
        kind: 'resize_nearest_neighbor',
        alignCorners: t ? cb.fieldBool(t, s.align_corners, false) : false,
        halfPixelCenters: t ? cb.fieldBool(t, s.half_pixel_centers, false) : false,
      };
    }
    case 'UNIDIRECTIONAL_SEQUENCE_LSTM': {
      const s = SLOT.UnidirectionalSequenceLSTMOptions;
      const clip = (slot: number, field: string): number => {
        const v = t ? cb.fieldF32(t, slot, 0) : 0;
        if (!Number.isFinite(v) || v < 0) cb.fail(`${what} (${opcode}): ${field} must be a finite number >= 0, found ${v}`);
        return v;
      };
      return {
        kind: 'unidirectional_sequence_lstm',
        activation: activation(s.fused_activation_function),
        cellClip: clip(s.cell_clip, 'cell_clip'),
        projClip: clip(s.proj_clip, 'proj_clip'),
        timeMajor: t ? cb.fieldBool(t, s.time_major, false) : false,
        asymmetricQuantizeInputs: t ? cb.fieldBool(t, s.asymmetric_quantize_inputs, false) : false,
        diagonalRecurrentTensors: t ? cb.fieldBool(t, s.diagonal_recurrent_tensors, false) : false,
      };
    }
    default:
      return cb.fail(`${what}: no decoder for ${opcode} options`);
  }
}
