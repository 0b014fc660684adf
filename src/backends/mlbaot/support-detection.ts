// Support check of TFLite_Detection_PostProcess (support.ts asks): float32 like TFLite Micro's kernel.
import type { Model, Operator, Tensor } from '../../core/model.js';
import { readDetectionOptions } from './detection-options.js';

const shapeIs = (t: Tensor | undefined, shape: number[]): boolean => !!t && t.shape.join() === shape.join();

export function detectionProblems(model: Model, op: Operator, where: string): string[] {
  if (op.inputs.length !== 3 || op.outputs.length !== 4) return [`${where}: needs 3 inputs (box encodings, class scores, anchors) and 4 outputs`];
  const read = readDetectionOptions(op.customOptions);
  if ('problem' in read) return [`${where}: ${read.problem}`];
  const o = read.options;
  const [enc, cls, anchors] = op.inputs.map((i) => model.tensors[i]);
  const problems: string[] = [];
  if (![enc, cls, anchors, ...op.outputs.map((i) => model.tensors[i])].every((t) => t?.dtype === 'float32')) {
    problems.push(`${where}: inputs and outputs must be float32 (as TFLite Micro runs it; DEQUANTIZE quantized heads first)`);
  }
  if (enc.data || cls.data) problems.push(`${where}: box encodings and class scores must be activations`);
  const n = enc.shape[1];
  if (enc.shape.length !== 3 || enc.shape[0] !== 1 || enc.shape[2] < 4) problems.push(`${where}: box encodings must be [1, boxes, >= 4]`);
  const cb = cls.shape[2];
  if (cls.shape.length !== 3 || cls.shape[0] !== 1 || cls.shape[1] !== n || !(cb - o.numClasses >= 0 && cb - o.numClasses <= 1)) {
    problems.push(`${where}: class scores must be [1, ${n}, num_classes or num_classes + 1 (background)]`);
  }
  if (!anchors.data || !shapeIs(anchors, [n, 4])) problems.push(`${where}: anchors must be a constant [${n}, 4] tensor`);
  const d = o.maxDetections;
  const [boxes, classes, scores, count] = op.outputs.map((i) => model.tensors[i]);
  if (!shapeIs(boxes, [1, d, 4]) || !shapeIs(classes, [1, d]) || !shapeIs(scores, [1, d]) || count.shape.reduce((a, b) => a * b, 1) !== 1) {
    problems.push(`${where}: outputs must be [1, ${d}, 4], [1, ${d}], [1, ${d}] and one count`);
  }
  if (!o.useRegularNms && o.maxClassesPerDetection !== 1) problems.push(`${where}: fast NMS with max_classes_per_detection ${o.maxClassesPerDetection} is not supported (only 1)`);
  return problems;
}
