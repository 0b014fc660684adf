// The options of TFLite_Detection_PostProcess: a flexbuffer map in the operator's custom_options.
// Models are untrusted: the map is read by a bounded, checked reader (flexbuffer-map.ts) and every
// value is checked for type and range. Problems come back as one-line reasons for the support
// check, never as exceptions.
import { readFlexbufferMap, type FlexScalar } from './flexbuffer-map.js';

export const DETECTION_POSTPROCESS = 'CUSTOM:TFLite_Detection_PostProcess';

export interface DetectionOptions {
  maxDetections: number;
  maxClassesPerDetection: number;
  detectionsPerClass: number;
  useRegularNms: boolean;
  scoreThreshold: number;
  iouThreshold: number;
  numClasses: number;
  yScale: number;
  xScale: number;
  hScale: number;
  wScale: number;
}

/** Upper bound on counts read from a model: keeps generated scratch arrays plausible. */
const MAX_COUNT = 1 << 16;

export function readDetectionOptions(bytes: Uint8Array | undefined): { options: DetectionOptions } | { problem: string } {
  if (!bytes || bytes.length === 0) return { problem: 'custom_options are missing (expected a flexbuffer map)' };
  let entries: Map<string, FlexScalar>;
  try {
    entries = readFlexbufferMap(bytes);
  } catch (e) {
    return { problem: `custom_options are not a readable flexbuffer map (${(e as Error).message})` };
  }
  const problems: string[] = [];
  const number = (key: string, dflt?: number): number => {
    const v = entries.get(key);
    if (v === undefined || v === null) {
      if (dflt === undefined) problems.push(`custom_options lack ${key}`);
      return dflt ?? 0;
    }
    const x = Number(v);
    if (!Number.isFinite(x)) problems.push(`custom_options entry ${key} is not a finite number`);
    return Number.isFinite(x) ? x : 0;
  };
  const count = (key: string, dflt?: number): number => {
    const v = number(key, dflt);
    if (!Number.isInteger(v) || v < 1 || v > MAX_COUNT) problems.push(`custom_options ${key} = ${v} is not a count in [1, ${MAX_COUNT}]`);
    return v;
  };
  const positive = (key: string): number => {
    const v = Math.fround(number(key));
    if (!(v > 0)) problems.push(`custom_options ${key} = ${v} must be positive`);
    return v;
  };
  const options: DetectionOptions = {
    maxDetections: count('max_detections'),
    maxClassesPerDetection: count('max_classes_per_detection', 1),
    detectionsPerClass: count('detections_per_class', 100),
    useRegularNms: number('use_regular_nms', 0) !== 0,
    scoreThreshold: Math.fround(number('nms_score_threshold')),
    iouThreshold: Math.fround(number('nms_iou_threshold')),
    numClasses: count('num_classes'),
    yScale: positive('y_scale'),
    xScale: positive('x_scale'),
    hScale: positive('h_scale'),
    wScale: positive('w_scale'),
  };
  if (!(options.iouThreshold > 0 && options.iouThreshold <= 1)) problems.push(`custom_options nms_iou_threshold = ${options.iouThreshold} is outside (0, 1]`);
  return problems.length > 0 ? { problem: problems.join('; ') } : { options };
}
