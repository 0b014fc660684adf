// Support checks of RESIZE_NEAREST_NEIGHBOR and TRANSPOSE_CONV (support.ts asks).
import type { Model, Operator, Tensor } from '../../core/model.js';

const quantized = (t: Tensor): boolean => t.dtype === 'int8' || (t.dtype === 'int16' && !!t.quantization);
const sameQuantization = (a: Tensor, b: Tensor): boolean =>
  !quantized(a) || (a.quantization?.scale[0] === b.quantization?.scale[0] && a.quantization?.zeroPoint[0] === b.quantization?.zeroPoint[0]);

function int32Values(t: Tensor | undefined): number[] | undefined {
  if (!t?.data || t.dtype !== 'int32') return undefined;
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return Array.from({ length: t.data.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true));
}

const perTensor = (t: Tensor): boolean => !quantized(t) || (t.quantization?.scale.length === 1 && t.quantization.zeroPoint.length === 1);

/** RESIZE_NEAREST_NEIGHBOR copies pixels: NHWC, a constant size matching the output, quantization kept. */
export function resizeProblems(model: Model, op: Operator, where: string): string[] {
  const [input, size, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  if (!input || !output) return [`${where}: missing input or output tensor`];
  const problems: string[] = [];
  if (!['int8', 'int16', 'float32'].includes(input.dtype)) problems.push(`${where}: unsupported dtype ${input.dtype} (supported: int8, int16, float32)`);
  if (output.dtype !== input.dtype || !sameQuantization(input, output) || !perTensor(input)) problems.push(`${where}: the output must keep the input's dtype and per-tensor quantization`);
  if (input.data) problems.push(`${where}: constant input is not supported`);
  if (input.shape.length !== 4 || output.shape.length !== 4 || input.shape[0] !== output.shape[0] || input.shape[3] !== output.shape[3]) {
    problems.push(`${where}: input and output must be NHWC with the same batch and channels`);
  }
  const values = int32Values(size);
  if (!values || values.length !== 2 || values[0] !== output.shape[1] || values[1] !== output.shape[2]) problems.push(`${where}: size must be a constant int32 [height, width] equal to the output's`);
  return problems;
}

/**
 * TRANSPOSE_CONV: constant output shape and weights, NHWC batch 1. A fused activation is applied
 * as TFLite does (float32, int8 and 16x8); TFLite Micro @19aaea85 applies it to float32 only. 16x8:
 * int16 activations with zero point 0, int8 weights, int64 bias (TFLM also takes int16 bias: not built).
 */
export function transposeConvProblems(model: Model, op: Operator, where: string): string[] {
  const [shape, weights, input, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.inputs[2]], model.tensors[op.outputs[0]]];
  const bias = op.inputs[3] !== undefined && op.inputs[3] >= 0 ? model.tensors[op.inputs[3]] : undefined;
  if (!weights || !input || !output) return [`${where}: needs output shape, weights and input`];
  const problems: string[] = [];
  const combo = `${input.dtype}->${output.dtype}`;
  if (combo !== 'int8->int8' && combo !== 'float32->float32' && combo !== 'int16->int16') return [`${where}: unsupported dtypes ${combo} (supported: int8->int8, int16->int16, float32->float32)`];
  const quantized = input.dtype !== 'float32';
  const [weightType, biasType] = input.dtype === 'float32' ? ['float32', 'float32'] : input.dtype === 'int8' ? ['int8', 'int32'] : ['int8', 'int64'];
  if (op.options.kind !== 'transpose_conv') return [`${where}: missing options`];
  if (!['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'].includes(op.options.activation)) problems.push(`${where}: fused activation ${op.options.activation} is not supported`);
  const values = int32Values(shape);
  if (!values || values.join() !== output.shape.join()) problems.push(`${where}: the output shape must be a constant int32 tensor equal to the output's shape`);
  if (input.data) problems.push(`${where}: constant input is not supported`);
  if (input.shape.length !== 4 || output.shape.length !== 4 || input.shape[0] !== 1 || output.shape[0] !== 1) problems.push(`${where}: only NHWC inputs with batch 1 are supported`);
  if (!weights.data || weights.shape.length !== 4) problems.push(`${where}: weights must be a constant [OC,KH,KW,IC] tensor`);
  else if (weights.shape[0] !== output.shape[3] || weights.shape[3] !== input.shape[3]) problems.push(`${where}: weights [${weights.shape.join(',')}] do not match the input and output channels`);
  else if (weights.dtype !== weightType) problems.push(`${where}: weights of dtype ${weights.dtype} are not supported`);
  else if (quantized) {
    const q = weights.quantization;
    if (!q || q.zeroPoint.some((z) => z !== 0)) problems.push(`${where}: int8 weights need quantization with zero point 0`);
    else if (q.scale.length > 1 && (q.quantizedDimension !== 0 || q.scale.length !== weights.shape[0])) problems.push(`${where}: per-channel weight scales must run along dimension 0`);
  }
  if (quantized && (!perTensor(input) || !perTensor(output))) problems.push(`${where}: ${input.dtype} activations need per-tensor quantization`);
  if (input.dtype === 'int16' && [input, output].some((t) => t.quantization?.zeroPoint[0] !== 0)) problems.push(`${where}: 16x8 needs int16 activations with zero point 0`);
  if (bias && (!bias.data || bias.dtype !== biasType || bias.data.byteLength !== (biasType === 'int64' ? 8 : 4) * output.shape[3])) {
    problems.push(`${where}: bias must be a constant ${biasType} tensor with one value per output channel`);
  }
  return problems;
}
