// The C API every mlbench backend implements (`mlb_model.h`, called by the mlif program) and
// the I/O accessor functions the TVM and TFLM wrappers share.
import type { TensorInfo } from '../../core/artifacts.js';

export { modelApiHeader } from '../../core/model-api.js';

/** A float literal C parses back to the same float32. */
export function cFloat(v: number): string {
  if (!Number.isFinite(v)) return '0.0f';
  const s = Math.fround(v).toPrecision(9);
  return `${s.includes('e') || s.includes('.') ? s : `${s}.0`}f`;
}

/**
 * Scale and zero point accessors from the model summary: the quantization is a property of
 * the model, not of the framework, so every wrapper answers the same.
 */
export function quantizationAccessors(kind: 'input' | 'output', tensors: TensorInfo[]): string {
  const n = tensors.length;
  const scales = tensors.map((t) => cFloat(t.scale ?? 0)).join(', ') || '0.0f';
  const zeros = tensors.map((t) => String(t.zeroPoint ?? 0)).join(', ') || '0';
  return `static const float mlb_${kind}_scales[${Math.max(n, 1)}] = {${scales}};
static const int32_t mlb_${kind}_zero_points[${Math.max(n, 1)}] = {${zeros}};
float mlb_model_${kind}_scale(size_t i) { return i < ${n} ? mlb_${kind}_scales[i] : 0.0f; }
int32_t mlb_model_${kind}_zero_point(size_t i) { return i < ${n} ? mlb_${kind}_zero_points[i] : 0; }
`;
}
