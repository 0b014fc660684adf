// Writes a Model back into a .tflite flatbuffer: used to make single-operator models for the
// LiteRT oracle and to rewrite models so every intermediate tensor becomes an output.
import { Builder } from 'flatbuffers';
import { MlbenchError } from '../../core/errors.js';
import type { Model, Operator, OperatorOptions, Quantization, Tensor } from '../../core/model.js';
import {
  ACTIVATIONS,
  CUSTOM_CODE,
  FILE_IDENTIFIER,
  OPTIONS_TYPE,
  PADDINGS,
  PLACEHOLDER_FOR_GREATER_OP_CODES,
  SCHEMA_VERSION,
  SLOT,
  TENSOR_TYPES,
  WEIGHTS_FORMATS,
} from './schema.js';

type Offset = number;

function vectorOfOffsets(b: Builder, offsets: Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

function vectorOfInt32(b: Builder, xs: number[]): Offset {
  b.startVector(4, xs.length, 4);
  for (let i = xs.length - 1; i >= 0; i--) b.addInt32(xs[i]);
  return b.endVector();
}

function vectorOfFloat32(b: Builder, xs: number[]): Offset {
  b.startVector(4, xs.length, 4);
  for (let i = xs.length - 1; i >= 0; i--) b.addFloat32(xs[i]);
  return b.endVector();
}

function vectorOfInt64(b: Builder, xs: number[]): Offset {
  b.startVector(8, xs.length, 8);
  for (let i = xs.length - 1; i >= 0; i--) b.addInt64(BigInt(xs[i]));
  return b.endVector();
}

/** Constant data, 16-byte aligned as the schema asks (force_align: 16) so kernels can map it. */
function dataVector(b: Builder, data: Uint8Array): Offset {
  // Pad first so the bytes end up 16-aligned once written, then copy them in one go
  // (createByteVector alone only aligns to 1).
  b.prep(16, data.length);
  return b.createByteVector(data);
}

function writeBuffer(b: Builder, data: Uint8Array | undefined): Offset {
  const vec = data && data.length > 0 ? dataVector(b, data) : 0;
  b.startObject(1);
  if (vec) b.addFieldOffset(SLOT.Buffer.data, vec, 0);
  return b.endObject();
}

function writeQuantization(b: Builder, q: Quantization): Offset {
  const scale = vectorOfFloat32(b, q.scale);
  const zp = vectorOfInt64(b, q.zeroPoint);
  b.startObject(7);
  b.addFieldOffset(SLOT.Quantization.scale, scale, 0);
  b.addFieldOffset(SLOT.Quantization.zero_point, zp, 0);
  b.addFieldInt32(SLOT.Quantization.quantized_dimension, q.quantizedDimension, 0);
  return b.endObject();
}

function writeTensor(b: Builder, t: Tensor, bufferIndex: number): Offset {
  const shape = vectorOfInt32(b, t.shape);
  const name = b.createString(t.name);
  const quant = t.quantization ? writeQuantization(b, t.quantization) : 0;
  const type = TENSOR_TYPES.indexOf(t.dtype);
  b.startObject(6);
  b.addFieldOffset(SLOT.Tensor.shape, shape, 0);
  b.addFieldInt8(SLOT.Tensor.type, type, 0);
  b.addFieldInt32(SLOT.Tensor.buffer, bufferIndex, 0);
  b.addFieldOffset(SLOT.Tensor.name, name, 0);
  if (quant) b.addFieldOffset(SLOT.Tensor.quantization, quant, 0);
  b.addFieldInt8(SLOT.Tensor.is_variable, t.isVariable ? 1 : 0, 0);
  return b.endObject();
}

/** Builtin options table and its union type number. */
function writeOptions(b: Builder, op: Operator): { type: number; table: Offset } {
  const o: OperatorOptions = op.options;
  const act = (a: (typeof ACTIVATIONS)[number]): number => ACTIVATIONS.indexOf(a);
  const pad = (p: (typeof PADDINGS)[number]): number => PADDINGS.indexOf(p);
  switch (o.kind) {
    case 'none':
      return { type: OPTIONS_TYPE.NONE, table: 0 };
    case 'conv2d': {
      const s = SLOT.Conv2DOptions;
      b.startObject(6);
      b.addFieldInt8(s.padding, pad(o.padding), 0);
      b.addFieldInt32(s.stride_w, o.strideW, 0);
      b.addFieldInt32(s.stride_h, o.strideH, 0);
      b.addFieldInt8(s.fused_activation_function, act(o.activation), 0);
      b.addFieldInt32(s.dilation_w_factor, o.dilationW, 1);
      b.addFieldInt32(s.dilation_h_factor, o.dilationH, 1);
      return { type: OPTIONS_TYPE.Conv2DOptions, table: b.endObject() };
    }
    case 'depthwise_conv2d': {
      const s = SLOT.DepthwiseConv2DOptions;
      b.startObject(7);
      b.addFieldInt8(s.padding, pad(o.padding), 0);
      b.addFieldInt32(s.stride_w, o.strideW, 0);
      b.addFieldInt32(s.stride_h, o.strideH, 0);
      b.addFieldInt32(s.depth_multiplier, o.depthMultiplier, 0);
      b.addFieldInt8(s.fused_activation_function, act(o.activation), 0);
      b.addFieldInt32(s.dilation_w_factor, o.dilationW, 1);
      b.addFieldInt32(s.dilation_h_factor, o.dilationH, 1);
      return { type: OPTIONS_TYPE.DepthwiseConv2DOptions, table: b.endObject() };
    }
    case 'pool2d': {
      const s = SLOT.Pool2DOptions;
      b.startObject(6);
      b.addFieldInt8(s.padding, pad(o.padding), 0);
      b.addFieldInt32(s.stride_w, o.strideW, 0);
      b.addFieldInt32(s.stride_h, o.strideH, 0);
      b.addFieldInt32(s.filter_width, o.filterWidth, 0);
      b.addFieldInt32(s.filter_height, o.filterHeight, 0);
      b.addFieldInt8(s.fused_activation_function, act(o.activation), 0);
      return { type: OPTIONS_TYPE.Pool2DOptions, table: b.endObject() };
    }
    case 'fully_connected': {
      const s = SLOT.FullyConnectedOptions;
      b.startObject(4);
      b.addFieldInt8(s.fused_activation_function, act(o.activation), 0);
      b.addFieldInt8(s.weights_format, WEIGHTS_FORMATS.indexOf(o.weightsFormat), 0);
      b.addFieldInt8(s.keep_num_dims, o.keepNumDims ? 1 : 0, 0);
      b.addFieldInt8(s.asymmetric_quantize_inputs, o.asymmetricQuantizeInputs ? 1 : 0, 0);
      return { type: OPTIONS_TYPE.FullyConnectedOptions, table: b.endObject() };
    }
    case 'softmax':
      b.startObject(1);
      b.addFieldFloat32(SLOT.SoftmaxOptions.beta, o.beta, 0);
      return { type: OPTIONS_TYPE.SoftmaxOptions, table: b.endObject() };
    case 'add':
      b.startObject(2);
      b.addFieldInt8(SLOT.AddOptions.fused_activation_function, act(o.activation), 0);
      b.addFieldInt8(SLOT.AddOptions.pot_scale_int16, o.potScaleInt16 === false ? 0 : 1, 1);
      return { type: OPTIONS_TYPE.AddOptions, table: b.endObject() };
    case 'sub':
      b.startObject(2);
      b.addFieldInt8(SLOT.SubOptions.fused_activation_function, act(o.activation), 0);
      b.addFieldInt8(SLOT.SubOptions.pot_scale_int16, o.potScaleInt16 === false ? 0 : 1, 1);
      return { type: OPTIONS_TYPE.SubOptions, table: b.endObject() };
    case 'mul':
      b.startObject(1);
      b.addFieldInt8(SLOT.MulOptions.fused_activation_function, act(o.activation), 0);
      return { type: OPTIONS_TYPE.MulOptions, table: b.endObject() };
    case 'concatenation':
      b.startObject(2);
      b.addFieldInt32(SLOT.ConcatenationOptions.axis, o.axis, 0);
      b.addFieldInt8(SLOT.ConcatenationOptions.fused_activation_function, act(o.activation), 0);
      return { type: OPTIONS_TYPE.ConcatenationOptions, table: b.endObject() };
    case 'squeeze': {
      const dims = vectorOfInt32(b, o.squeezeDims);
      b.startObject(1);
      b.addFieldOffset(SLOT.SqueezeOptions.squeeze_dims, dims, 0);
      return { type: OPTIONS_TYPE.SqueezeOptions, table: b.endObject() };
    }
    case 'split':
      b.startObject(1);
      b.addFieldInt32(SLOT.SplitOptions.num_splits, o.numSplits, 0);
      return { type: OPTIONS_TYPE.SplitOptions, table: b.endObject() };
    case 'unpack':
      b.startObject(2);
      b.addFieldInt32(SLOT.UnpackOptions.num, o.num, 0);
      b.addFieldInt32(SLOT.UnpackOptions.axis, o.axis, 0);
      return { type: OPTIONS_TYPE.UnpackOptions, table: b.endObject() };
    case 'gather':
      b.startObject(2);
      b.addFieldInt32(SLOT.GatherOptions.axis, o.axis, 0);
      b.addFieldInt32(SLOT.GatherOptions.batch_dims, o.batchDims, 0);
      return { type: OPTIONS_TYPE.GatherOptions, table: b.endObject() };
    case 'reshape': {
      const newShape = o.newShape ? vectorOfInt32(b, o.newShape) : 0;
      b.startObject(1);
      if (newShape) b.addFieldOffset(SLOT.ReshapeOptions.new_shape, newShape, 0);
      return { type: OPTIONS_TYPE.ReshapeOptions, table: b.endObject() };
    }
    case 'reducer':
      b.startObject(1);
      b.addFieldInt8(SLOT.ReducerOptions.keep_dims, o.keepDims ? 1 : 0, 0);
      return { type: OPTIONS_TYPE.ReducerOptions, table: b.endObject() };
    case 'strided_slice': {
      const s = SLOT.StridedSliceOptions;
      b.startObject(6);
      b.addFieldInt32(s.begin_mask, o.beginMask, 0);
      b.addFieldInt32(s.end_mask, o.endMask, 0);
      b.addFieldInt32(s.ellipsis_mask, o.ellipsisMask, 0);
      b.addFieldInt32(s.new_axis_mask, o.newAxisMask, 0);
      b.addFieldInt32(s.shrink_axis_mask, o.shrinkAxisMask, 0);
      b.addFieldInt8(s.offset, o.offset ? 1 : 0, 0);
      return { type: OPTIONS_TYPE.StridedSliceOptions, table: b.endObject() };
    }
    case 'leaky_relu':
      b.startObject(1);
      b.addFieldFloat32(SLOT.LeakyReluOptions.alpha, o.alpha, 0);
      return { type: OPTIONS_TYPE.LeakyReluOptions, table: b.endObject() };
    case 'transpose_conv': {
      const s = SLOT.TransposeConvOptions;
      b.startObject(4);
      b.addFieldInt8(s.padding, pad(o.padding), 0);
      b.addFieldInt32(s.stride_w, o.strideW, 0);
      b.addFieldInt32(s.stride_h, o.strideH, 0);
      b.addFieldInt8(s.fused_activation_function, act(o.activation), 0);
      return { type: OPTIONS_TYPE.TransposeConvOptions, table: b.endObject() };
    }
    case 'resize_nearest_neighbor':
      b.startObject(2);
      b.addFieldInt8(SLOT.ResizeNearestNeighborOptions.align_corners, o.alignCorners ? 1 : 0, 0);
      b.addFieldInt8(SLOT.ResizeNearestNeighborOptions.half_pixel_centers, o.halfPixelCenters ? 1 : 0, 0);
      return { type: OPTIONS_TYPE.ResizeNearestNeighborOptions, table: b.endObject() };
    case 'unidirectional_sequence_lstm': {
      const s = SLOT.UnidirectionalSequenceLSTMOptions;
      b.startObject(6);
      b.addFieldInt8(s.fused_activation_function, act(o.activation), 0);
      b.addFieldFloat32(s.cell_clip, o.cellClip, 0);
      b.addFieldFloat32(s.proj_clip, o.projClip, 0);
      b.addFieldInt8(s.time_major, o.timeMajor ? 1 : 0, 0);
      b.addFieldInt8(s.asymmetric_quantize_inputs, o.asymmetricQuantizeInputs ? 1 : 0, 0);
      b.addFieldInt8(s.diagonal_recurrent_tensors, o.diagonalRecurrentTensors ? 1 : 0, 0);
      return { type: OPTIONS_TYPE.UnidirectionalSequenceLSTMOptions, table: b.endObject() };
    }
    case 'other':
      // The reader keeps only the type number of options it does not decode, not their fields;
      // writing an empty table would silently change the operator.
      throw new MlbenchError('unsupported', `cannot write operator ${op.index} (${op.opcode}): its options are not decoded`);
  }
}

/** Key of an operator code entry: the same builtin at two versions needs two entries. */
function codeKey(op: Operator): string {
  return `${op.builtinCode}/${op.version}/${op.opcode}`;
}

function writeOperatorCode(b: Builder, op: Operator): Offset {
  const custom = op.builtinCode === CUSTOM_CODE ? b.createString(op.opcode.replace(/^CUSTOM:/, '')) : 0;
  b.startObject(4);
  b.addFieldInt8(SLOT.OperatorCode.deprecated_builtin_code, Math.min(op.builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
  if (custom) b.addFieldOffset(SLOT.OperatorCode.custom_code, custom, 0);
  b.addFieldInt32(SLOT.OperatorCode.version, op.version, 1);
  b.addFieldInt32(SLOT.OperatorCode.builtin_code, op.builtinCode, 0);
  return b.endObject();
}

export function writeTflite(model: Model): Uint8Array {
  const b = new Builder(1024);

  // Buffer 0 is the conventional empty buffer; each constant tensor gets its own.
  const bufferOffsets: Offset[] = [writeBuffer(b, undefined)];
  const tensorBuffer = model.tensors.map((t) => {
    if (!t.data || t.data.length === 0) return 0;
    bufferOffsets.push(writeBuffer(b, t.data));
    return bufferOffsets.length - 1;
  });
  const tensorOffsets = model.tensors.map((t, i) => {
    if (TENSOR_TYPES.indexOf(t.dtype) < 0) throw new MlbenchError('unsupported', `tensor ${i} has dtype ${t.dtype}`);
    return writeTensor(b, t, tensorBuffer[i]);
  });

  const codeIndex = new Map<string, number>();
  const codeOffsets: Offset[] = [];
  for (const op of model.operators) {
    if (!codeIndex.has(codeKey(op))) {
      codeIndex.set(codeKey(op), codeOffsets.length);
      codeOffsets.push(writeOperatorCode(b, op));
    }
  }

  const operatorOffsets = model.operators.map((op) => {
    const inputs = vectorOfInt32(b, op.inputs);
    const outputs = vectorOfInt32(b, op.outputs);
    const options = writeOptions(b, op);
    const custom = op.customOptions ? b.createByteVector(op.customOptions) : 0;
    const intermediates = op.intermediates ? vectorOfInt32(b, op.intermediates) : 0;
    b.startObject(9);
    b.addFieldInt32(SLOT.Operator.opcode_index, codeIndex.get(codeKey(op))!, 0);
    b.addFieldOffset(SLOT.Operator.inputs, inputs, 0);
    b.addFieldOffset(SLOT.Operator.outputs, outputs, 0);
    b.addFieldInt8(SLOT.Operator.builtin_options_type, options.type, 0);
    if (options.table) b.addFieldOffset(SLOT.Operator.builtin_options, options.table, 0);
    if (custom) b.addFieldOffset(SLOT.Operator.custom_options, custom, 0);
    if (intermediates) b.addFieldOffset(SLOT.Operator.intermediates, intermediates, 0);
    return b.endObject();
  });

  const sgTensors = vectorOfOffsets(b, tensorOffsets);
  const sgInputs = vectorOfInt32(b, model.inputs);
  const sgOutputs = vectorOfInt32(b, model.outputs);
  const sgOperators = vectorOfOffsets(b, operatorOffsets);
  const sgName = b.createString('main');
  b.startObject(5);
  b.addFieldOffset(SLOT.SubGraph.tensors, sgTensors, 0);
  b.addFieldOffset(SLOT.SubGraph.inputs, sgInputs, 0);
  b.addFieldOffset(SLOT.SubGraph.outputs, sgOutputs, 0);
  b.addFieldOffset(SLOT.SubGraph.operators, sgOperators, 0);
  b.addFieldOffset(SLOT.SubGraph.name, sgName, 0);
  const subgraph = b.endObject();

  const codes = vectorOfOffsets(b, codeOffsets);
  const subgraphs = vectorOfOffsets(b, [subgraph]);
  const description = b.createString(model.description);
  const buffers = vectorOfOffsets(b, bufferOffsets);
  b.startObject(5);
  b.addFieldInt32(SLOT.Model.version, SCHEMA_VERSION, 0);
  b.addFieldOffset(SLOT.Model.operator_codes, codes, 0);
  b.addFieldOffset(SLOT.Model.subgraphs, subgraphs, 0);
  b.addFieldOffset(SLOT.Model.description, description, 0);
  b.addFieldOffset(SLOT.Model.buffers, buffers, 0);
  b.finish(b.endObject(), FILE_IDENTIFIER);
  // asUint8Array is a view into the builder's oversized buffer; copy to own exactly the model.
  return b.asUint8Array().slice();
}

/** The same model with every operator output as a model output, in invoke order. */
export function exposeAllTensors(model: Model): Model {
  const outputs: number[] = [];
  const seen = new Set<number>();
  for (const op of model.operators) {
    for (const ix of op.outputs) {
      if (!seen.has(ix)) {
        seen.add(ix);
        outputs.push(ix);
      }
    }
  }
  return { ...model, outputs };
}
