// TFLite_Detection_PostProcess on mlbaot: hand-computed results (fast and regular NMS), 42 seeded
// random cases per NMS kind against LiteRT (which runs the custom operator; its output slots past
// num_detections are left uninitialised, so only the detections are compared), corrupt options,
// and the refusal of other custom operators with their names, all in one line.
import { describe, expect, test } from 'vitest';
import { writeTflite } from '../../src/frontends/tflite/writer.js';
import { ModelBuilder, float32Bytes } from '../../src/frameworks/litert/model-builder.js';
import { addDetectionPostprocess, type DetectionConfig } from '../../src/frameworks/litert/detection-model.js';
import { runMlbaotOnHost } from '../../src/frameworks/litert/engine-runner.js';
import { mergeCases, type FuzzCase } from '../../src/frameworks/litert/fuzz-models.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { createRng } from '../../src/frameworks/litert/prng.js';
import { oracleOutputs } from '../helpers/oracle-outputs.js';
import { unsupportedReasons } from '../../src/backends/mlbaot/support.js';
import { readDetectionOptions } from '../../src/backends/mlbaot/detection-options.js';

// Anchors (y, x, h, w): 0 and 1 overlap heavily, 2 and 3 stand apart.
const ANCHORS = [[0.5, 0.5, 0.2, 0.2], [0.52, 0.5, 0.2, 0.2], [0.2, 0.2, 0.1, 0.1], [0.8, 0.8, 0.1, 0.1]];
// Box 0 moves by (+1, -2) / 10 anchor sizes: centre (0.52, 0.46), corners [0.42, 0.36, 0.62, 0.56];
// its IoU with box 1 [0.42, 0.4, 0.62, 0.6] is 0.032 / 0.048 = 0.667.
const ENCODINGS = [1, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
// [background, class 0, class 1] per box.
const SCORES = [0, 0.9, 0.1, 0, 0.8, 0.3, 0, 0.2, 0.7, 0, 0.05, 0.1];

function detectionModel(c: DetectionConfig) {
  const b = new ModelBuilder();
  const enc = b.tensor('box_encodings', [1, 4, 4], 'float32');
  const cls = b.tensor('class_predictions', [1, 4, 3], 'float32');
  const outs = addDetectionPostprocess(b, enc, cls, ANCHORS, c);
  return b.finish('detect', [enc, cls], outs);
}

const floats = (bytes: Uint8Array): number[] => Array.from(new Float32Array(bytes.slice().buffer));
const BOX0 = [0.42, 0.36, 0.62, 0.56];
const BOX1 = [0.42, 0.4, 0.62, 0.6];
const BOX2 = [0.15, 0.15, 0.25, 0.25];

describe('mlbaot TFLite_Detection_PostProcess', () => {
  test.each([
    // Fast: best class per box; box 1 (0.8) falls to box 0 (IoU 0.667 > 0.5), box 3 (0.1) under 0.3.
    { regular: false, boxes: [...BOX0, ...BOX2, 0, 0, 0, 0], classes: [0, 1, 0], scores: [0.9, 0.7, 0], count: 2 },
    // Regular: class 0 keeps box 0 only; class 1 keeps box 2 (0.7) and box 1 (0.3): three detections.
    { regular: true, boxes: [...BOX0, ...BOX2, ...BOX1], classes: [0, 1, 1], scores: [0.9, 0.7, 0.3], count: 3 },
  ])('regular NMS $regular', async (want) => {
    const model = detectionModel({ maxDetections: 3, numClasses: 2, scoreThreshold: 0.3, iouThreshold: 0.5, regular: want.regular, detectionsPerClass: 2 });
    expect(unsupportedReasons(model)).toEqual([]);
    const [[boxes, classes, scores, count]] = await runMlbaotOnHost(writeTflite(model), [[float32Bytes(ENCODINGS), float32Bytes(SCORES)]]);
    floats(boxes).forEach((v, i) => expect(v).toBeCloseTo(want.boxes[i], 6));
    expect(floats(classes)).toEqual(want.classes);
    floats(scores).forEach((v, i) => expect(v).toBeCloseTo(want.scores[i], 6));
    expect(floats(count)).toEqual([want.count]);
  }, 120_000);

  test('corrupt or missing options are refused with a reason, not a crash', () => {
    expect(readDetectionOptions(undefined)).toEqual({ problem: 'custom_options are missing (expected a flexbuffer map)' });
    for (let seed = 1; seed < 200; seed++) {
      const bytes = new Uint8Array(24).map((_, i) => (seed * 31 + i * 17) & 0xff);
      const r = readDetectionOptions(bytes);
      expect('problem' in r).toBe(true);
    }
    const model = detectionModel({ maxDetections: 3, numClasses: 2, scoreThreshold: 0.3, iouThreshold: 1.5, regular: false });
    expect(unsupportedReasons(model).join('\n')).toMatch(/nms_iou_threshold = 1.5 is outside/);
  });

  test('other custom operators are refused with their names, all unsupported operators in one line', () => {
    const b = new ModelBuilder();
    const x = b.tensor('x', [1, 4], 'float32');
    const y = b.tensor('y', [1, 4], 'float32');
    const z = b.tensor('z', [1, 4], 'float32');
    const w = b.tensor('w', [1, 4], 'float32');
    b.customOp('MyFancyOp', 1, [x], [y], new Uint8Array(0));
    b.customOp('MyFancyOp', 1, [y], [z], new Uint8Array(0));
    b.op('FLOOR', 1, [z], [w]);
    const reasons = unsupportedReasons(b.finish('custom', [x], [w]));
    expect(reasons[0]).toBe('unsupported operators: CUSTOM:MyFancyOp ×2, FLOOR ×1');
  });
});

/** A random detection case: boxes near a grid of anchors, scores spread so NMS has work to do. */
function randomCase(seed: number, regular: boolean): FuzzCase {
  const rng = createRng(seed);
  const n = rng.int(4, 24);
  const classes = rng.int(1, 4);
  const background = rng.bool(0.7) ? 1 : 0;
  const anchors = Array.from({ length: n }, () => [rng.float(0.1, 0.9), rng.float(0.1, 0.9), rng.float(0.1, 0.5), rng.float(0.1, 0.5)]);
  const config: DetectionConfig = {
    maxDetections: rng.int(1, 8), numClasses: classes, scoreThreshold: Math.fround(rng.float(0.05, 0.5)), iouThreshold: Math.fround(rng.float(0.2, 0.8)),
    regular, detectionsPerClass: rng.int(1, 6),
  };
  const b = new ModelBuilder();
  const enc = b.tensor('box_encodings', [1, n, 4], 'float32');
  const cls = b.tensor('class_predictions', [1, n, classes + background], 'float32');
  const outs = addDetectionPostprocess(b, enc, cls, anchors, config);
  const vector = (): Uint8Array[] => [
    float32Bytes(Array.from({ length: 4 * n }, () => Math.fround(rng.float(-2, 2)))),
    // Scores on a 1/1024 grid plus a per-element offset: no exact ties between boxes.
    float32Bytes(Array.from({ length: n * (classes + background) }, (_, i) => Math.fround(rng.int(0, 1000) / 1024 + i * 1e-6))),
  ];
  // mergeCases reads only model and vectors; `operator` is a placeholder of the fuzz-case type.
  return { operator: 'ADD', seed, model: b.finish(`detect_${seed}`, [enc, cls], outs), vectors: [vector(), vector()], params: { n, classes, background, ...config } };
}

describe('mlbaot TFLite_Detection_PostProcess vs. LiteRT, 42 seeded cases per NMS kind', () => {
  test.each([false, true])('regular NMS %s', async (regular) => {
    const cases = Array.from({ length: 42 }, (_, i) => randomCase(9000 + i + (regular ? 1000 : 0), regular));
    const merged = mergeCases(cases, `detect_fuzz_${regular}`);
    const oracle = await loadOracle();
    const expected = await oracleOutputs(oracle, writeTflite(merged.model), merged.vectors);
    oracle.dispose();
    const actual = await runMlbaotOnHost(writeTflite(merged.model), merged.vectors);
    let detections = 0;
    let maxDiff = 0;
    cases.forEach((c, k) => {
      const [boxes, classes, scores, count] = merged.outputPositions[k];
      for (let v = 0; v < merged.vectors.length; v++) {
        const want = (p: number): number[] => floats(expected[v][p]);
        const got = (p: number): number[] => floats(actual[v][p]);
        const where = `seed ${c.seed} vector ${v} ${JSON.stringify(c.params)}`;
        expect(got(count), where).toEqual(want(count));
        const d = want(count)[0];
        detections += d;
        expect(got(classes).slice(0, d), where).toEqual(want(classes).slice(0, d));
        expect(got(scores).slice(0, d), where).toEqual(want(scores).slice(0, d));
        const [a, b] = [want(boxes).slice(0, 4 * d), got(boxes).slice(0, 4 * d)];
        a.forEach((x, i) => { maxDiff = Math.max(maxDiff, Math.abs(x - b[i]) / Math.max(1, Math.abs(x))); });
      }
    });
    // Box corners go through exp (mlb_expf in float; TFLite: double std::exp).
    console.log(`detection post-process (regular ${regular}): 42 cases, ${detections} detections, boxes max |diff|/max(1,|LiteRT|) ${maxDiff.toPrecision(3)} (tolerance 1e-5)`);
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
    expect(detections).toBeGreaterThan(42);
  }, 300_000);
});
