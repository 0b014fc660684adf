// Shared helpers for mlbaot tests: build a shared model, feed its reference vectors through
// the host runner and compare with the reference outputs.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BuildArtifact, TensorInfo } from '../../src/core/artifacts.js';
import type { Model } from '../../src/core/model.js';
import { sharedModelsDir } from '../../src/core/paths.js';
import { buildModel, type MlbaotOptions } from '../../src/backends/mlbaot/index.js';
import { runOnHost } from '../../src/backends/mlbaot/host-runner.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { findReference, quantize, readFloat32File } from '../../src/frontends/tflite/reference.js';
import { summarize } from '../../src/frontends/tflite/summary.js';

export const MODELS = sharedModelsDir();
export const HAVE_MODELS = MODELS !== undefined && existsSync(join(MODELS, 'aww', 'aww.tflite'));
if (!HAVE_MODELS) console.warn(`mlbaot tests skipped: shared models not found (MLBENCH_MODELS=${process.env.MLBENCH_MODELS ?? 'unset'})`);

export function modelFile(rel: string): string {
  return join(MODELS!, rel, `${basename(rel)}.tflite`);
}

export function loadModel(path: string): Model {
  return readTflite(readFileSync(path), basename(path).replace(/\.tflite$/, ''));
}

export interface Built {
  model: Model;
  dir: string;
  build: BuildArtifact;
  simpleLivenessPeak: number;
}

const createdDirs: string[] = [];

/** A fresh temp directory, removed by removeTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

/** For afterAll: removes every directory tempDir/buildShared made in this test file. */
export function removeTempDirs(): void {
  for (const d of createdDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function buildShared(rel: string, opts: MlbaotOptions = {}): Built {
  const model = loadModel(modelFile(rel));
  const dir = tempDir(`mlbaot-${basename(rel)}-${opts.requantize ?? 'tflm'}-`);
  const { artifact, simpleLivenessPeak } = buildModel(model, dir, opts);
  return { model, dir, build: artifact, simpleLivenessPeak };
}

function inputBytes(info: TensorInfo, file: string, format: string): Uint8Array {
  if (format === 'float32') {
    const values = readFloat32File(file);
    if (info.dtype === 'float32') return new Uint8Array(values.buffer.slice(0));
    const q = Int8Array.from(values, (v) => quantize(v, info.scale!, info.zeroPoint!, info.dtype));
    return new Uint8Array(q.buffer);
  }
  const raw = readFileSync(file);
  if (format === 'uint8-offset') return Uint8Array.from(raw, (b) => (b + info.zeroPoint!) & 0xff);
  return new Uint8Array(raw);
}

export interface OutputComparison {
  vector: number;
  output: number;
  elements: number;
  /** Elements that differ (int8: after quantizing the reference; float: beyond tolerance). */
  mismatches: number;
  /** Largest difference: LSB for int8, absolute for float. */
  maxDiff: number;
}

/** Runs the first `count` reference vectors and compares every output. */
export async function compareWithReference(b: Built, rel: string, count: number, floatTolerance = 1e-5): Promise<OutputComparison[]> {
  const ref = findReference(join(MODELS!, rel), summarize(b.model, readFileSync(modelFile(rel))));
  const vectors = ref.vectors.slice(0, count);
  const inputs = vectors.map((v) => v.inputs.map((f, i) => inputBytes(b.build.inputs[i], f, ref.inputFormat)));
  const results = await runOnHost(b.dir, b.build, inputs);
  const out: OutputComparison[] = [];
  vectors.forEach((v, vi) => {
    v.outputs.forEach((file, oi) => {
      const info = b.build.outputs[oi];
      const expected = readFloat32File(file);
      const got = results[vi][oi];
      let mismatches = 0;
      let maxDiff = 0;
      if (info.dtype === 'int8') {
        const actual = new Int8Array(got.buffer, got.byteOffset, got.byteLength);
        expected.forEach((e, i) => {
          const d = Math.abs(actual[i] - quantize(e, info.scale!, info.zeroPoint!, 'int8'));
          if (d > 0) mismatches++;
          maxDiff = Math.max(maxDiff, d);
        });
      } else {
        const actual = new Float32Array(got.buffer.slice(got.byteOffset, got.byteOffset + got.byteLength));
        expected.forEach((e, i) => {
          const d = Math.abs(actual[i] - e);
          if (d > floatTolerance) mismatches++;
          maxDiff = Math.max(maxDiff, d);
        });
      }
      out.push({ vector: v.index, output: oi, elements: expected.length, mismatches, maxDiff });
    });
  });
  return out;
}
