// TFLite Micro's 16x8 reference arithmetic, hand-written from reference_integer_ops::ConvPerChannel,
// DepthwiseConvPerChannel and FullyConnected (int16 input, int64 bias, int64 accumulator,
// MultiplyByQuantizedMultiplier(int64) with the Q31 multiplier rounded to Q15): the second oracle
// where LiteRT follows other arithmetic (FULLY_CONNECTED) or cannot run a case (bias-less conv).
import type { Model } from '../../src/core/model.js';
import { leadingPadding, quantizeMultiplier, quantizedActivationRange } from '../../src/backends/mlbaot/quant-math.js';

function mqm64(x: bigint, q: number, shift: number): number {
  const reduced = q < 0x7fff0000 ? BigInt((q + 32768) >> 16) : 0x7fffn;
  const total = BigInt(15 - shift);
  return Number((x * reduced + (1n << (total - 1n))) >> total);
}

/** Output of the model's single 16x8 operator for one int16 input vector, as TFLM computes it. */
export function tflm16x8(model: Model, inputBytes: Uint8Array): Int16Array {
  const op = model.operators[0];
  const [input, weights, output] = [model.tensors[op.inputs[0]], model.tensors[op.inputs[1]], model.tensors[op.outputs[0]]];
  const biasT = op.inputs[2] >= 0 ? model.tensors[op.inputs[2]] : undefined;
  const x = new Int16Array(inputBytes.slice().buffer);
  const w = new Int8Array(weights.data!.slice().buffer);
  const bias = biasT ? new BigInt64Array(biasT.data!.slice().buffer) : undefined;
  const ws = weights.quantization!.scale;
  const [inScale, outScale] = [input.quantization!.scale[0], output.quantization!.scale[0]];
  const fc = op.options.kind === 'fully_connected';
  const channelMultiplier = (c: number) => {
    const s = ws.length === 1 ? ws[0] : ws[c];
    return quantizeMultiplier(fc && ws.length === 1 ? Math.fround(inScale * s) / outScale : (inScale * s) / outScale);
  };
  const act = 'activation' in op.options ? op.options.activation : 'NONE';
  const [lo, hi] = quantizedActivationRange(act, outScale, 0, 'int16');
  const finish = (acc: bigint, c: number): number => {
    const m = channelMultiplier(c);
    return Math.min(hi, Math.max(lo, mqm64(acc + (bias ? bias[c] : 0n), m.multiplier, m.shift)));
  };
  const out = new Int16Array(output.shape.reduce((a, b) => a * b, 1));
  if (op.options.kind === 'fully_connected') {
    const [N, K] = weights.shape;
    for (let r = 0; r < x.length / K; r++) {
      for (let n = 0; n < N; n++) {
        let acc = 0n;
        for (let k = 0; k < K; k++) acc += BigInt(w[n * K + k] * x[r * K + k]);
        out[r * N + n] = finish(acc, n);
      }
    }
    return out;
  }
  const o = op.options;
  if (o.kind !== 'conv2d' && o.kind !== 'depthwise_conv2d') throw new Error(`no 16x8 reference for ${op.opcode}`);
  const depthwise = o.kind === 'depthwise_conv2d';
  const [, IH, IW, IC] = input.shape;
  const [, OH, OW, OC] = output.shape;
  const [KH, KW] = [weights.shape[1], weights.shape[2]]; // OHWI and 1HWO alike
  const PT = leadingPadding(o.padding, IH, OH, KH, o.strideH, o.dilationH);
  const PL = leadingPadding(o.padding, IW, OW, KW, o.strideW, o.dilationW);
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let oc = 0; oc < OC; oc++) {
        let acc = 0n;
        for (let ky = 0; ky < KH; ky++) {
          const y = oy * o.strideH - PT + ky * o.dilationH;
          for (let kx = 0; kx < KW; kx++) {
            const xx = ox * o.strideW - PL + kx * o.dilationW;
            if (y < 0 || y >= IH || xx < 0 || xx >= IW) continue;
            if (depthwise) acc += BigInt(w[(ky * KW + kx) * OC + oc] * x[(y * IW + xx) * IC + Math.floor(oc / (OC / IC))]);
            else for (let ic = 0; ic < IC; ic++) acc += BigInt(w[((oc * KH + ky) * KW + kx) * IC + ic] * x[(y * IW + xx) * IC + ic]);
          }
        }
        out[(oy * OW + ox) * OC + oc] = finish(acc, oc);
      }
    }
  }
  return out;
}

/**
 * TRANSPOSE_CONV 16x8 as reference_integer_ops::TransposeConv (TFLM @19aaea85 kernels/transpose_conv.cc):
 * scatter into int64, add the int64 bias, per-channel int64 MultiplyByQuantizedMultiplier. TFLM
 * clamps to the full int16 range (it prepares with kTfLiteActNone); the fused activation is then
 * applied as desktop TFLite does, which mlbaot follows (with NONE the two agree exactly).
 */
export function tflmTransposeConv16x8(model: Model, inputBytes: Uint8Array): Int16Array {
  const op = model.operators[0];
  const o = op.options;
  if (o.kind !== 'transpose_conv') throw new Error(`not TRANSPOSE_CONV: ${op.opcode}`);
  const [weights, input, output] = [model.tensors[op.inputs[1]], model.tensors[op.inputs[2]], model.tensors[op.outputs[0]]];
  const biasT = (op.inputs[3] ?? -1) >= 0 ? model.tensors[op.inputs[3]] : undefined;
  const x = new Int16Array(inputBytes.slice().buffer);
  const w = new Int8Array(weights.data!.slice().buffer);
  const bias = biasT ? new BigInt64Array(biasT.data!.slice().buffer) : undefined;
  const [, IH, IW, IC] = input.shape;
  const [, OH, OW, OC] = output.shape;
  const [, KH, KW] = weights.shape;
  // TFLite's ComputePaddingHeightWidth with the output as the forward convolution's input.
  const pad = (outSize: number, k: number, s: number): number => {
    const convOut = o.padding === 'SAME' ? Math.floor((outSize + s - 1) / s) : Math.floor((outSize - k + s) / s);
    return Math.max(0, Math.floor(((convOut - 1) * s + k - outSize) / 2));
  };
  const [PT, PL] = [pad(OH, KH, o.strideH), pad(OW, KW, o.strideW)];
  const acc = new BigInt64Array(OH * OW * OC);
  for (let iy = 0; iy < IH; iy++) for (let ix = 0; ix < IW; ix++) for (let ic = 0; ic < IC; ic++) {
    for (let fy = 0; fy < KH; fy++) for (let fx = 0; fx < KW; fx++) {
      const [oy, ox] = [iy * o.strideH - PT + fy, ix * o.strideW - PL + fx];
      if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue;
      for (let oc = 0; oc < OC; oc++) acc[(oy * OW + ox) * OC + oc] += BigInt(x[(iy * IW + ix) * IC + ic] * w[((oc * KH + fy) * KW + fx) * IC + ic]);
    }
  }
  const ws = weights.quantization!.scale;
  const real = (c: number): number => (input.quantization!.scale[0] * (ws.length === 1 ? ws[0] : ws[c])) / output.quantization!.scale[0];
  const [lo, hi] = quantizedActivationRange(o.activation, output.quantization!.scale[0], 0, 'int16');
  return Int16Array.from(acc, (a, i) => {
    const m = quantizeMultiplier(real(i % OC));
    return Math.min(hi, Math.max(lo, mqm64(a + (bias ? bias[i % OC] : 0n), m.multiplier, m.shift)));
  });
}
