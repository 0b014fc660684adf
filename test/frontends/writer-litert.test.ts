// The real TFLite runtime (LiteRT, wasm) accepts what the writer produces and computes the same
// outputs from it as from the original file: the writer's output is a valid .tflite, not just
// something our own reader accepts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLiteRtRuntime, type LiteRtApi } from '../../src/frameworks/litert/loader.js';
import { readTflite } from '../../src/frontends/tflite/reader.js';
import { quantize, readFloat32File } from '../../src/frontends/tflite/reference.js';
import { exposeAllTensors, writeTflite } from '../../src/frontends/tflite/writer.js';
import { HAVE_MODELS, modelBytes, modelDir, warnIfMissing } from './shared-models.js';

warnIfMissing('frontends/writer-litert');

async function runModel(rt: LiteRtApi, bytes: Uint8Array, input: Int8Array, shape: number[]): Promise<Uint8Array[]> {
  const compiled = await rt.loadAndCompile(bytes, { accelerator: 'wasm' });
  const tensor = new rt.Tensor(input, shape);
  try {
    const outs = await compiled.run([tensor]);
    const copies = outs.map((t) => {
      const a = t.toTypedArray();
      return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
    });
    outs.forEach((t) => t.delete());
    return copies;
  } finally {
    tensor.delete();
    compiled.delete();
  }
}

describe.skipIf(!HAVE_MODELS)('writer output runs in LiteRT', () => {
  test('aww rewritten, and with every tensor exposed, gives the original outputs', async () => {
    const rt = await loadLiteRtRuntime();
    const original = modelBytes('aww');
    const model = readTflite(original, 'aww.tflite');
    const inTensor = model.tensors[model.inputs[0]];
    const q = inTensor.quantization!;
    const real = readFloat32File(join(modelDir('aww'), 'input', '0.bin'));
    const input = Int8Array.from(real, (v) => quantize(v, q.scale[0], q.zeroPoint[0], 'int8'));

    const [expected] = await runModel(rt, original, input, inTensor.shape);
    const [rewritten] = await runModel(rt, writeTflite(model), input, inTensor.shape);
    expect(Buffer.compare(rewritten, expected)).toBe(0);

    const all = await runModel(rt, writeTflite(exposeAllTensors(model)), input, inTensor.shape);
    expect(all.length).toBe(model.operators.length);
    expect(Buffer.compare(all.at(-1)!, expected)).toBe(0);
    // The final int8 output dequantizes to the stored TFLite reference output.
    const out = model.tensors[model.outputs[0]].quantization!;
    const reference = readFloat32File(join(modelDir('aww'), 'output_tflite', '0.bin'));
    const dequantized = Array.from(new Int8Array(expected.buffer), (v) => (v - out.zeroPoint[0]) * out.scale[0]);
    expect(dequantized.map((v) => Math.fround(v))).toEqual([...reference]);
  });
});
