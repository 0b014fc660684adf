// TFLite_Detection_PostProcess for generated models: its flexbuffer options and a tensor-level
// builder step (box encodings + class scores + constant anchors -> the four float32 outputs).
import { writeFlexbufferMap } from './flexbuffer-write.js';
import { ModelBuilder, float32Bytes } from './model-builder.js';

export interface DetectionConfig {
  maxDetections: number;
  numClasses: number;
  scoreThreshold: number;
  iouThreshold: number;
  regular: boolean;
  detectionsPerClass?: number;
  /** y, x, h, w scales of the box encodings (SSD's usual 10, 10, 5, 5). */
  scales?: [number, number, number, number];
}

/** custom_options as the TFLite converter writes them (a flexbuffer map). */
export function detectionOptions(c: DetectionConfig): Uint8Array {
  const [y, x, h, w] = c.scales ?? [10, 10, 5, 5];
  // Integral scales are written as ints; TFLite reads them with AsFloat(), which converts.
  return writeFlexbufferMap({
    max_detections: c.maxDetections,
    max_classes_per_detection: 1,
    detections_per_class: c.detectionsPerClass ?? 100,
    use_regular_nms: c.regular,
    nms_score_threshold: c.scoreThreshold,
    nms_iou_threshold: c.iouThreshold,
    num_classes: c.numClasses,
    y_scale: y,
    x_scale: x,
    h_scale: h,
    w_scale: w,
  });
}

/** Adds the post-process; returns the output tensors (boxes, classes, scores, count). */
export function addDetectionPostprocess(b: ModelBuilder, encodings: number, scores: number, anchors: number[][], c: DetectionConfig): number[] {
  const n = anchors.length;
  const anchorTensor = b.tensor('anchors', [n, 4], 'float32', { data: float32Bytes(anchors.flat()) });
  const d = c.maxDetections;
  const outputs = [
    b.tensor('detection_boxes', [1, d, 4], 'float32'),
    b.tensor('detection_classes', [1, d], 'float32'),
    b.tensor('detection_scores', [1, d], 'float32'),
    b.tensor('num_detections', [1], 'float32'),
  ];
  b.customOp('TFLite_Detection_PostProcess', 1, [encodings, scores, anchorTensor], outputs, detectionOptions(c));
  return outputs;
}
