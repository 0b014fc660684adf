/* mlbench kernel library: TFLite_Detection_PostProcess (the custom operator TFLite Micro ships),
 * float32, after tensorflow/lite/micro/kernels/detection_postprocess.cc: centre-size box decoding
 * against constant anchors, then fast (one NMS over each box's best classes) or regular (NMS per
 * class) non-maximum suppression. Sorting is by score, ties to the lower index, as TFLite's sorts
 * order them. exp is mlb_expf (float; TFLite uses double std::exp), so box corners agree to a few
 * ulp. Unlike TFLite Micro, output slots past the detections are zeroed rather than left as they were. */
#ifndef MLB_DETECTION_H
#define MLB_DETECTION_H

#include <stdint.h>

#include "mlb_float.h"

struct mlb_detection_params {
  int num_boxes, num_classes, num_classes_with_background, max_detections, max_classes_per_detection;
  int detections_per_class, regular;
  float score_threshold, iou_threshold, y_scale, x_scale, h_scale, w_scale;
};

/* Scratch the caller provides: boxes[4N], keep_scores[N], keep_idx[N], active[N], class_scores[N],
 * sorted, selected, work_scores, work_values [D + N], work_idx[max(N * C, D + N)];
 * D = max_detections, C = num_classes. */
struct mlb_detection_scratch {
  float *boxes, *keep_scores, *work_scores, *work_values, *class_scores;
  int32_t *keep_idx, *sorted, *selected, *work_idx;
  uint8_t *active;
};

/* Indices 0..n-1 ordered by value descending, ties to the lower index (stable insertion sort). */
static void mlb_det_argsort(const float *values, int n, int32_t *idx) {
  for (int i = 0; i < n; ++i) {
    const int32_t v = i;
    int j = i;
    while (j > 0 && values[idx[j - 1]] < values[v]) {
      idx[j] = idx[j - 1];
      --j;
    }
    idx[j] = v;
  }
}

static float mlb_det_iou(const float *boxes, int i, int j) {
  const float *a = boxes + 4 * i, *b = boxes + 4 * j; /* ymin, xmin, ymax, xmax */
  const float area_a = (a[2] - a[0]) * (a[3] - a[1]);
  const float area_b = (b[2] - b[0]) * (b[3] - b[1]);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float ymin = a[0] > b[0] ? a[0] : b[0], xmin = a[1] > b[1] ? a[1] : b[1];
  const float ymax = a[2] < b[2] ? a[2] : b[2], xmax = a[3] < b[3] ? a[3] : b[3];
  const float h = ymax - ymin > 0.0f ? ymax - ymin : 0.0f, w = xmax - xmin > 0.0f ? xmax - xmin : 0.0f;
  const float inter = h * w;
  return inter / (area_a + area_b - inter);
}

/* NonMaxSuppressionSingleClassHelper: indices of the kept boxes, best first; returns their count. */
static int mlb_det_nms(const struct mlb_detection_params *p, const struct mlb_detection_scratch *s, const float *scores,
                       int max_out, int32_t *selected) {
  int kept = 0;
  for (int i = 0; i < p->num_boxes; ++i)
    if (scores[i] >= p->score_threshold) {
      s->keep_scores[kept] = scores[i];
      s->keep_idx[kept++] = i;
    }
  mlb_det_argsort(s->keep_scores, kept, s->sorted);
  const int out_size = kept < max_out ? kept : max_out;
  int n = 0, active_left = kept;
  for (int i = 0; i < kept; ++i) s->active[i] = 1;
  for (int i = 0; i < kept; ++i) {
    if (active_left == 0 || n >= out_size) break;
    if (!s->active[i]) continue;
    const int bi = s->keep_idx[s->sorted[i]];
    selected[n++] = bi;
    s->active[i] = 0;
    --active_left;
    for (int j = i + 1; j < kept; ++j)
      if (s->active[j] && mlb_det_iou(s->boxes, bi, s->keep_idx[s->sorted[j]]) > p->iou_threshold) {
        s->active[j] = 0;
        --active_left;
      }
  }
  return n;
}

/* enc [N][4] (y, x, h, w), class scores [N][CB], anchors [N][4] (y, x, h, w); outputs boxes [D][4],
 * classes [D], scores [D], count [1]. */
static void __attribute__((unused)) mlb_detection_postprocess_f32(const struct mlb_detection_params *p, const struct mlb_detection_scratch *s,
                                                                  const mlb_f32 *enc, int enc_stride, const mlb_f32 *cls, const float *anchors,
                                                                  mlb_f32 *out_boxes, mlb_f32 *out_classes, mlb_f32 *out_scores, mlb_f32 *out_count) {
  const int N = p->num_boxes, CB = p->num_classes_with_background, C = p->num_classes;
  const int offset = CB - C;
  for (int i = 0; i < N; ++i) {
    const mlb_f32 *e = enc + i * enc_stride;
    const float *a = anchors + 4 * i;
    const float yc = e[0] / p->y_scale * a[2] + a[0];
    const float xc = e[1] / p->x_scale * a[3] + a[1];
    const float hh = 0.5f * mlb_expf(e[2] / p->h_scale) * a[2];
    const float hw = 0.5f * mlb_expf(e[3] / p->w_scale) * a[3];
    float *b = s->boxes + 4 * i;
    b[0] = yc - hh;
    b[1] = xc - hw;
    b[2] = yc + hh;
    b[3] = xc + hw;
  }
  for (int i = 0; i < p->max_detections; ++i) {
    out_boxes[4 * i] = out_boxes[4 * i + 1] = out_boxes[4 * i + 2] = out_boxes[4 * i + 3] = 0.0f;
    out_classes[i] = out_scores[i] = 0.0f;
  }
  if (p->regular) {
    int size = 0; /* results so far, best first: work_idx (score index) and work_scores */
    for (int col = 0; col < C; ++col) {
      for (int row = 0; row < N; ++row) s->class_scores[row] = cls[row * CB + col + offset];
      const int n = mlb_det_nms(p, s, s->class_scores, p->detections_per_class, s->selected);
      int total = size;
      for (int i = 0; i < n; ++i) {
        s->work_idx[total] = s->selected[i] * CB + col + offset;
        s->work_scores[total++] = s->class_scores[s->selected[i]];
      }
      const int keep = total < p->max_detections ? total : p->max_detections;
      mlb_det_argsort(s->work_scores, total, s->sorted);
      for (int r = 0; r < keep; ++r) {
        s->work_values[r] = s->work_scores[s->sorted[r]];
        s->selected[r] = s->work_idx[s->sorted[r]];
      }
      for (int r = 0; r < keep; ++r) {
        s->work_scores[r] = s->work_values[r];
        s->work_idx[r] = s->selected[r];
      }
      size = keep;
    }
    for (int i = 0; i < size; ++i) {
      const int anchor = s->work_idx[i] / CB;
      const float *b = s->boxes + 4 * anchor;
      for (int k = 0; k < 4; ++k) out_boxes[4 * i + k] = b[k];
      out_classes[i] = (float)(s->work_idx[i] - anchor * CB - offset);
      out_scores[i] = s->work_scores[i];
    }
    out_count[0] = (float)size;
  } else {
    /* One class per detection (max_classes_per_detection 1, checked by the generator). */
    for (int row = 0; row < N; ++row) {
      const mlb_f32 *box_scores = cls + row * CB + offset;
      int32_t *order = s->work_idx + row * C;
      mlb_det_argsort(box_scores, C, order);
      s->class_scores[row] = box_scores[order[0]];
    }
    const int n = mlb_det_nms(p, s, s->class_scores, p->max_detections, s->selected);
    for (int i = 0; i < n; ++i) {
      const int anchor = s->selected[i];
      const int32_t best = s->work_idx[anchor * C];
      for (int k = 0; k < 4; ++k) out_boxes[4 * i + k] = s->boxes[4 * anchor + k];
      out_classes[i] = (float)best;
      out_scores[i] = cls[anchor * CB + offset + best];
    }
    out_count[0] = (float)n;
  }
}

#endif
