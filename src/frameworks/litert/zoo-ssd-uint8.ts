// A uint8 SSD-style detector as older converters wrote them (zoo entry): uint8 activations and
// per-tensor uint8 weights with non-zero zero points, a two-scale conv/depthwise backbone, box and
// class heads reshaped and CONCATENATED over both scales, DEQUANTIZE, LOGISTIC class scores and
// TFLite_Detection_PostProcess (fast NMS) with constant anchors.
import type { Activation, Model } from '../../core/model.js';
import { addDetectionPostprocess } from './detection-model.js';
import { ModelBuilder, int32Bytes, quant } from './model-builder.js';
import { createRng, type Rng } from './prng.js';
import type { ZooModel } from './zoo-model.js';

const INPUT = [1, 16, 16, 3];

interface Act { t: number; shape: number[]; scale: number; zp: number }

/** uint8 weights around a zero point, within ±100 of it (so they run exactly on int8 kernels). */
function weights(b: ModelBuilder, rng: Rng, name: string, shape: number[], axis: number): { t: number; scale: number } {
  const zp = rng.int(100, 155);
  const scale = Math.fround(rng.logUniform(0.004, 0.02));
  const n = shape.reduce((a, c) => a * c, 1);
  const data = Uint8Array.from({ length: n }, () => zp + rng.int(-100, 100));
  return { t: b.tensor(name, shape, 'uint8', { quantization: quant([scale], [zp], axis), data }), scale };
}

function conv(b: ModelBuilder, rng: Rng, x: Act, name: string, k: number, cout: number, stride: number, act: Activation, depthwise = false, fixed?: { scale: number; zp: number }): Act {
  const [, h, w, cin] = x.shape;
  const out = [1, Math.ceil(h / stride), Math.ceil(w / stride), depthwise ? cin : cout];
  const terms = depthwise ? k * k : k * k * cin;
  const wq = weights(b, rng, `${name}/w`, depthwise ? [1, k, k, cin] : [cout, k, k, cin], depthwise ? 3 : 0);
  const biasScale = Math.fround(x.scale * wq.scale);
  const channels = out[3];
  const bias = b.tensor(`${name}/b`, [channels], 'int32', { quantization: quant([biasScale], [0]), data: int32Bytes(Array.from({ length: channels }, () => rng.int(-2000, 2000))) });
  // Output scale sized to the accumulator's spread (±~70 LSB), as a converter's calibration would.
  const scale = fixed?.scale ?? Math.fround((Math.sqrt(terms) * 58 * 74 * x.scale * wq.scale) / 70);
  const zp = fixed?.zp ?? (act === 'NONE' ? 128 : rng.int(0, 20));
  const t = b.tensor(name, out, 'uint8', { quantization: quant([scale], [zp]) });
  const common = { padding: 'SAME' as const, strideW: stride, strideH: stride, dilationW: 1, dilationH: 1, activation: act };
  if (depthwise) b.op('DEPTHWISE_CONV_2D', 1, [x.t, wq.t, bias], [t], { kind: 'depthwise_conv2d', depthMultiplier: 1, ...common });
  else b.op('CONV_2D', 1, [x.t, wq.t, bias], [t], { kind: 'conv2d', ...common });
  return { t, shape: out, scale, zp };
}

/** A head's [1, H, W, A*k] output as [1, H*W*A, k], in the quantization all heads share. */
function head(b: ModelBuilder, rng: Rng, x: Act, name: string, k: number, q: { scale: number; zp: number }): Act {
  // Heads write straight into the quantization CONCATENATION shares (as converters arrange it).
  const h = conv(b, rng, x, `${name}/conv`, 1, k, 1, 'NONE', false, q);
  const rows = h.shape[1] * h.shape[2];
  const flat = b.tensor(`${name}/flat`, [1, rows, k], 'uint8', { quantization: quant([q.scale], [q.zp]) });
  b.op('RESHAPE', 1, [h.t, b.tensor(`${name}/shape`, [3], 'int32', { data: int32Bytes([1, rows, k]) })], [flat], { kind: 'reshape', newShape: [1, rows, k] });
  return { t: flat, shape: [1, rows, k], scale: q.scale, zp: q.zp };
}

/** One anchor per feature-map cell, centred, sized to the cell (y, x, h, w). */
function anchors(size: number): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out.push([(y + 0.5) / size, (x + 0.5) / size, 1.5 / size, 1.5 / size]);
  return out;
}

export function ssdUint8(): Model {
  const rng = createRng(2026);
  const b = new ModelBuilder();
  const input = b.tensor('image', INPUT, 'uint8', { quantization: quant([1 / 255], [0]) });
  const x: Act = { t: input, shape: INPUT, scale: Math.fround(1 / 255), zp: 0 };
  const c1 = conv(b, rng, x, 'conv1', 3, 8, 2, 'RELU6');
  const d1 = conv(b, rng, c1, 'dw1', 3, 8, 1, 'RELU6', true);
  const fa = conv(b, rng, d1, 'pw1', 1, 16, 1, 'RELU6'); // 8x8 feature map
  const d2 = conv(b, rng, fa, 'dw2', 3, 16, 2, 'RELU6', true);
  const fb = conv(b, rng, d2, 'pw2', 1, 16, 1, 'RELU6'); // 4x4 feature map
  const boxQ = { scale: Math.fround(0.05), zp: 128 };
  const clsQ = { scale: Math.fround(0.08), zp: 128 };
  const concat = (name: string, parts: Act[], k: number, q: { scale: number; zp: number }): number => {
    const rows = parts.reduce((a, p) => a + p.shape[1], 0);
    const t = b.tensor(name, [1, rows, k], 'uint8', { quantization: quant([q.scale], [q.zp]) });
    b.op('CONCATENATION', 1, parts.map((p) => p.t), [t], { kind: 'concatenation', axis: 1, activation: 'NONE' });
    return t;
  };
  const boxes = concat('box_encodings_q', [head(b, rng, fa, 'box8', 4, boxQ), head(b, rng, fb, 'box4', 4, boxQ)], 4, boxQ);
  const classes = concat('class_logits_q', [head(b, rng, fa, 'cls8', 3, clsQ), head(b, rng, fb, 'cls4', 3, clsQ)], 3, clsQ);
  const n = 8 * 8 + 4 * 4;
  const boxF = b.tensor('box_encodings', [1, n, 4], 'float32');
  b.op('DEQUANTIZE', 2, [boxes], [boxF]);
  const logits = b.tensor('class_logits', [1, n, 3], 'float32');
  b.op('DEQUANTIZE', 2, [classes], [logits]);
  const scores = b.tensor('class_scores', [1, n, 3], 'float32');
  b.op('LOGISTIC', 1, [logits], [scores]);
  const outs = addDetectionPostprocess(b, boxF, scores, [...anchors(8), ...anchors(4)], {
    maxDetections: 6, numClasses: 2, scoreThreshold: 0.05, iouThreshold: 0.5, regular: false,
  });
  return b.finish('ssd_uint8', [input], outs);
}

export const ssdUint8Model: ZooModel = {
  name: 'ssd_uint8',
  description: 'uint8 SSD-style: CONV/DW backbone, CONCATENATION of box/class heads, DEQUANTIZE, LOGISTIC, detection post-process',
  build: ssdUint8,
  inputs: (rng) => [Uint8Array.from({ length: INPUT.reduce((a, c) => a * c, 1) }, () => rng.int(0, 255))],
};
