// C generation of TFLite_Detection_PostProcess (mlb_detection.h): options and anchors become
// literals and a const array; scratch lives in static arrays of the layer function.
import { floatLiteral } from './c-format.js';
import { arenaPtr, float32Data, layerFunction, type GeneratedLayer, type LayerInput } from './layer-common.js';
import { readDetectionOptions } from './detection-options.js';

export function generateDetectionPostprocess(li: LayerInput): GeneratedLayer {
  const { model, op } = li;
  const read = readDetectionOptions(op.customOptions);
  if ('problem' in read) throw new Error(read.problem); // support.ts refused it already
  const o = read.options;
  const [enc, cls, anchors] = op.inputs.map((i) => model.tensors[i]);
  const [N, CB, C, D] = [enc.shape[1], cls.shape[2], o.numClasses, o.maxDetections];
  const prefix = `mlb_l${op.index}`;
  const wide = D + N;
  const params = [N, C, CB, D, o.maxClassesPerDetection, o.detectionsPerClass, o.useRegularNms ? 1 : 0]
    .map(String)
    .concat([o.scoreThreshold, o.iouThreshold, o.yScale, o.xScale, o.hScale, o.wScale].map(floatLiteral));
  const out = (k: number): string => arenaPtr(li, op.outputs[k], 'mlb_f32', false);
  const layer = layerFunction(li, `${o.useRegularNms ? 'regular' : 'fast'} NMS, ${N} boxes, ${C} classes, ${D} detections`, [
    `score threshold ${o.scoreThreshold}, IoU threshold ${o.iouThreshold}, scales y ${o.yScale} x ${o.xScale} h ${o.hScale} w ${o.wScale}`,
  ], [
    `static const struct mlb_detection_params p = {${params.join(', ')}};`,
    `static float boxes[${4 * N}], keep_scores[${N}], class_scores[${N}], work_scores[${wide}], work_values[${wide}];`,
    `static int32_t keep_idx[${N}], sorted[${wide}], selected[${wide}], work_idx[${Math.max(N * C, wide)}];`,
    `static uint8_t active[${N}];`,
    'const struct mlb_detection_scratch s = {boxes, keep_scores, work_scores, work_values, class_scores, keep_idx, sorted, selected, work_idx, active};',
    `mlb_detection_postprocess_f32(&p, &s, ${arenaPtr(li, enc.index, 'mlb_f32', true)}, ${enc.shape[2]}, ${arenaPtr(li, cls.index, 'mlb_f32', true)}, ${prefix}_anchors,`,
    `                              ${out(0)}, ${out(1)}, ${out(2)}, ${out(3)});`,
  ]);
  layer.constants.push({ name: `${prefix}_anchors`, ctype: 'float', values: float32Data(anchors), what: `layer ${op.index} detection anchors [${N}][4] (y, x, h, w)` });
  return layer;
}
