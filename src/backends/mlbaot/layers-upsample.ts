// C generation for uint8 edges (byte flip), RESIZE_NEAREST_NEIGHBOR and TRANSPOSE_CONV
// (mlb_upsample.h), after TFLite Micro's reference kernels.
import { DTYPE_BYTES, type Padding } from '../../core/model.js';
import { floatLiteral } from './c-format.js';
import { arenaPtr, elements, float32Data, int32Data, int8Data, layerFunction, poolGeometry, scaleOf, zeroPointOf, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { channelRequant } from './layers-conv.js';
import { floatActivationRange, quantizedActivationRange } from './quant-math.js';

/** QUANTIZE uint8 <-> int8 with one scale and zero points 128 apart (support.ts checks): q ^ 0x80. */
export function generateByteFlip(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  return layerFunction(li, `${input.dtype} -> ${output.dtype}, zero point ${zeroPointOf(input)} -> ${zeroPointOf(output)}: byte flip`, [], [
    `mlb_flip_u8_s8(${arenaPtr(li, input.index, 'uint8_t', true)}, ${arenaPtr(li, output.index, 'uint8_t', false)}, ${elements(output)});`,
  ]);
}

export const isByteFlip = (li: LayerInput): boolean =>
  li.op.opcode === 'QUANTIZE' && [li.model.tensors[li.op.inputs[0]].dtype, li.model.tensors[li.op.outputs[0]].dtype].includes('uint8');

/** TFLite's GetNearestNeighbor in float32 (reference_ops, which TFLite Micro runs). */
export function nearestIndex(out: number, inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const f = Math.fround;
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / f(outSize - 1)) : f(inSize / f(outSize));
  const offset = halfPixelCenters ? 0.5 : 0;
  const x = f(f(out + offset) * scale);
  // TfLiteRound rounds half away from zero; x >= 0 here.
  let v = Math.min(alignCorners ? Math.floor(x + 0.5) : Math.floor(x), inSize - 1);
  if (halfPixelCenters) v = Math.max(0, v);
  return v;
}

/** AVERAGE_POOL_2D that was uint8 in the model: TFLite's uint8 rounding of the mean (ties up). */
export function generateAvgPoolFromUint8(li: LayerInput): GeneratedLayer {
  const { op } = li;
  const { o, output, dims } = poolGeometry(li);
  const [actMin, actMax] = quantizedActivationRange(o.activation, scaleOf(output), zeroPointOf(output), 'int8');
  return layerFunction(li, `uint8 model: ${o.filterHeight}x${o.filterWidth} stride ${o.strideH}x${o.strideW} ${o.padding} ${o.activation}`, [], [
    `mlb_avg_pool_round_s8(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
    `                      ${[...dims, actMin, actMax].join(', ')}, 1);`,
  ]);
}

/**
 * SOFTMAX of a uint8 model in fp32 mode: LiteRT runs uint8 SOFTMAX on TFLite's float-table kernel
 * (its int8 one agrees with the fixed-point reference mlb_softmax_s8 follows; the two differ by
 * 1 LSB now and then). The table is expf in float32 of every input difference, computed here
 * (Math.exp rounded to float32; all 100 uint8 fuzz seeds checked agree with LiteRT's expf).
 */
export function generateSoftmaxFromUint8(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const beta = Math.fround(op.options.kind === 'softmax' ? op.options.beta : 1);
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const depth = input.shape[input.shape.length - 1];
  const scale = Math.fround(-Math.fround(scaleOf(input)) * beta);
  const table = Array.from({ length: 256 }, (_, k) => Math.fround(Math.exp(Math.fround(scale * (255 - k)))));
  const prefix = `mlb_l${op.index}`;
  const layer = layerFunction(li, `uint8 model: beta ${beta}, float table`, [], [
    `mlb_softmax_u8_table(${arenaPtr(li, op.inputs[0], 'int8_t', true)}, ${arenaPtr(li, op.outputs[0], 'int8_t', false)},`,
    `                     ${elements(input) / depth}, ${depth}, ${prefix}_table, ${floatLiteral(Math.fround(scaleOf(output)))}, ${zeroPointOf(output)});`,
  ]);
  layer.constants.push({ name: `${prefix}_table`, ctype: 'float', values: table, what: `layer ${op.index} SOFTMAX expf table` });
  return layer;
}

const rank4 = (shape: number[]): number[] => [...Array<number>(4 - shape.length).fill(1), ...shape];

export function generateResizeNearest(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'resize_nearest_neighbor') throw new Error('RESIZE_NEAREST_NEIGHBOR without options');
  const { alignCorners, halfPixelCenters } = op.options;
  const [input, output] = [model.tensors[op.inputs[0]], model.tensors[op.outputs[0]]];
  const [B, IH, IW, C] = rank4(input.shape);
  const [, OH, OW] = rank4(output.shape);
  const prefix = `mlb_l${op.index}`;
  const ys = Array.from({ length: OH }, (_, y) => nearestIndex(y, IH, OH, alignCorners, halfPixelCenters));
  const xs = Array.from({ length: OW }, (_, x) => nearestIndex(x, IW, OW, alignCorners, halfPixelCenters));
  const run = C * (DTYPE_BYTES[output.dtype] ?? 1);
  const layer = layerFunction(li, `${output.dtype} ${IH}x${IW} -> ${OH}x${OW}${alignCorners ? ' align_corners' : ''}${halfPixelCenters ? ' half_pixel_centers' : ''}`, [], [
    `mlb_resize_nn_bytes(arena + ${li.offsets.get(input.index)}, arena + ${li.offsets.get(output.index)}, ${prefix}_ys, ${prefix}_xs, ${[B, IH, IW, OH, OW, run].join(', ')});`,
  ]);
  layer.constants.push(
    { name: `${prefix}_ys`, ctype: 'int32_t', values: ys, what: `layer ${op.index} RESIZE_NEAREST_NEIGHBOR source rows` },
    { name: `${prefix}_xs`, ctype: 'int32_t', values: xs, what: `layer ${op.index} RESIZE_NEAREST_NEIGHBOR source columns` },
  );
  return layer;
}

/** Total padding before clamping, as TFLite's ComputePaddingHeightWidth sees TRANSPOSE_CONV (the output is the convolution's input). */
function transposeConvTotalPadding(padding: 'SAME' | 'VALID', outSize: number, filter: number, stride: number): number {
  const convOut = padding === 'SAME' ? Math.floor((outSize + stride - 1) / stride) : Math.floor((outSize - filter + stride) / stride);
  return (convOut - 1) * stride + filter - outSize;
}

/** The leading (top/left) padding of TRANSPOSE_CONV. */
export function transposeConvPadding(padding: 'SAME' | 'VALID', outSize: number, filter: number, stride: number): number {
  return Math.max(0, Math.floor(transposeConvTotalPadding(padding, outSize, filter, stride) / 2));
}

/**
 * Whether TFLite's XNNPACK delegate takes a TRANSPOSE_CONV (CalculateTransposeConvPaddings in
 * xnnpack_delegate.cc): VALID needs the kernel within the output; SAME needs the input size the
 * forward convolution implies and kernels at least as large as the strides (a smaller kernel
 * would need padding TFLite clamps at zero). Asymmetric SAME padding is accepted. Found by fuzzing
 * (400 cases: every SAME case with a kernel smaller than a stride follows TFLite's double-rounding
 * kernel, every other one XNNPACK's float32 requantization).
 */
export function xnnpackTakesTransposeConv(padding: Padding, inSize: number[], outSize: number[], kernel: number[], stride: number[]): boolean {
  if (padding === 'VALID') return kernel.every((k, i) => k <= outSize[i]);
  return kernel.every((k, i) => k >= stride[i] && Math.ceil(outSize[i] / stride[i]) === inSize[i]);
}

/** TRANSPOSE_CONV (inputs: output shape, weights [OC,KH,KW,IC], input, optional bias); int8 scatters into an int32 scratch. */
export function generateTransposeConv(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  if (op.options.kind !== 'transpose_conv') throw new Error('TRANSPOSE_CONV without options');
  const o = op.options;
  const [weights, input, output] = [model.tensors[op.inputs[1]], model.tensors[op.inputs[2]], model.tensors[op.outputs[0]]];
  const bias = op.inputs[3] !== undefined && op.inputs[3] >= 0 ? model.tensors[op.inputs[3]] : undefined;
  const [, IH, IW, IC] = input.shape;
  const [, OH, OW, OC] = output.shape;
  const [, KH, KW] = weights.shape;
  const PT = transposeConvPadding(o.padding, OH, KH, o.strideH);
  const PL = transposeConvPadding(o.padding, OW, KW, o.strideW);
  const geometry = [IH, IW, IC, OH, OW, OC, KH, KW, o.strideH, o.strideW, PT, PL];
  const prefix = `mlb_l${op.index}`;
  const summary = `${output.dtype} ${KH}x${KW} stride ${o.strideH}x${o.strideW} ${o.padding} ${o.activation}`;
  const biasPtr = bias ? `${prefix}_bias` : 'NULL';
  if (output.dtype === 'float32') {
    const layer = layerFunction(li, summary, [], [
      `mlb_transpose_conv_f32(${arenaPtr(li, input.index, 'mlb_f32', true)}, ${arenaPtr(li, output.index, 'mlb_f32', false)}, ${prefix}_weights, ${biasPtr},`,
      `                       ${geometry.join(', ')}, ${floatActivationRange(o.activation).map(floatLiteral).join(', ')});`,
    ]);
    layer.constants.push({ name: `${prefix}_weights`, ctype: 'float', values: float32Data(weights), what: `layer ${op.index} TRANSPOSE_CONV weights [${weights.shape.join('][')}]` });
    if (bias) layer.constants.push({ name: `${prefix}_bias`, ctype: 'float', values: float32Data(bias), what: `layer ${op.index} TRANSPOSE_CONV bias` });
    return layer;
  }
  // LiteRT (the fp32 mode's reference) runs int8 TRANSPOSE_CONV through XNNPACK (float32
  // requantization) wherever its delegate accepts the node, else on TFLite's own kernel, whose
  // fixed-point requantization is TFLite Micro's; tflm mode always uses TFLite Micro's.
  const fp32 = li.requantize === 'fp32' && xnnpackTakesTransposeConv(o.padding, [IH, IW], [OH, OW], [KH, KW], [o.strideH, o.strideW]);
  const rq = channelRequant({ ...li, requantize: fp32 ? 'fp32' : 'tflm' }, input, weights, output, OC, false);
  const [actMin, actMax] = quantizedActivationRange(o.activation, scaleOf(output), zeroPointOf(output), 'int8');
  const mode = fp32 ? 'MLB_REQUANT_FP32' : 'MLB_REQUANT_TFLM';
  const layer = layerFunction(li, summary, [`scratch: int32 accumulators ${OH}x${OW}x${OC}`], [
    `static int32_t acc[${OH * OW * OC}];`,
    `mlb_transpose_conv_s8(${mode}, ${arenaPtr(li, input.index, 'int8_t', true)}, ${arenaPtr(li, output.index, 'int8_t', false)}, ${prefix}_weights, ${biasPtr},`,
    `                      ${prefix}_mult, ${prefix}_shift, acc, ${geometry.join(', ')},`,
    `                      ${-zeroPointOf(input)}, ${zeroPointOf(output)}, ${actMin}, ${actMax});`,
  ]);
  layer.constants.push(
    { name: `${prefix}_weights`, ctype: 'int8_t', values: int8Data(weights), what: `layer ${op.index} TRANSPOSE_CONV weights [${weights.shape.join('][')}]` },
    { name: `${prefix}_mult`, ctype: 'int32_t', values: rq.mult, what: `layer ${op.index} TRANSPOSE_CONV multipliers` },
    { name: `${prefix}_shift`, ctype: 'int32_t', values: rq.shift, what: `layer ${op.index} TRANSPOSE_CONV shifts` },
  );
  if (bias) layer.constants.push({ name: `${prefix}_bias`, ctype: 'int32_t', values: int32Data(bias), what: `layer ${op.index} TRANSPOSE_CONV bias` });
  return layer;
}
