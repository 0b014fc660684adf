// The golden oracle: real TensorFlow Lite kernels (LiteRT.js, wasm) run on raw tensor bytes.
// Everything crosses this boundary as little-endian bytes so callers never depend on LiteRT types.
import { MlbenchError } from '../../core/errors.js';
import { loadLiteRtRuntime, type LiteRtApi, type LiteRtCompiledModel, type LiteRtTensor } from './loader.js';

export interface OracleTensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

/** One compiled model; reuse it for many input vectors, then dispose(). */
export interface OracleSession {
  inputs: OracleTensorInfo[];
  outputs: OracleTensorInfo[];
  run(inputs: Uint8Array[]): Promise<Uint8Array[]>;
  dispose(): void;
}

export interface Oracle {
  /** Compiles the model, runs one input vector, frees the model. Returns raw output bytes. */
  run(modelBytes: Uint8Array, inputs: Uint8Array[]): Promise<Uint8Array[]>;
  /** Compiles once for many vectors. */
  compile(modelBytes: Uint8Array): Promise<OracleSession>;
  dispose(): void;
}

type TypedArrayCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

const VIEW_OF_DTYPE: Record<string, { ctor: TypedArrayCtor; bytes: number }> = {
  float32: { ctor: Float32Array, bytes: 4 },
  int32: { ctor: Int32Array, bytes: 4 },
  uint8: { ctor: Uint8Array, bytes: 1 },
  int8: { ctor: Int8Array, bytes: 1 },
  int16: { ctor: Int16Array, bytes: 2 },
};

function viewOf(bytes: Uint8Array, info: OracleTensorInfo): ArrayBufferView {
  const v = VIEW_OF_DTYPE[info.dtype];
  if (!v) throw new MlbenchError('unsupported', `oracle: tensor ${info.name} has dtype ${info.dtype}, which LiteRT.js cannot feed`);
  const expected = info.shape.reduce((a, b) => a * b, 1) * v.bytes;
  if (bytes.byteLength !== expected) {
    throw new MlbenchError('validation', `oracle: input ${info.name} needs ${expected} bytes (${info.dtype} ${JSON.stringify(info.shape)}), got ${bytes.byteLength}`);
  }
  // Copy into a fresh, aligned buffer: callers' bytes may sit at any offset of a shared pool.
  const copy = new Uint8Array(expected);
  copy.set(bytes);
  return new v.ctor(copy.buffer, 0, expected / v.bytes);
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  // Output views alias the wasm heap, which the next run overwrites: copy out.
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

function details(d: readonly { name: string; dtype: string; shape: Int32Array | number[] }[]): OracleTensorInfo[] {
  return d.map((t) => ({ name: t.name, dtype: t.dtype, shape: Array.from(t.shape) }));
}

async function compileSession(api: LiteRtApi, modelBytes: Uint8Array): Promise<OracleSession> {
  let compiled: LiteRtCompiledModel;
  try {
    compiled = await api.loadAndCompile(modelBytes, { accelerator: 'wasm' });
  } catch (e) {
    throw new MlbenchError('model', `LiteRT could not load the model: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const inputs = details(compiled.getInputDetails());
  const outputs = details(compiled.getOutputDetails());
  let disposed = false;
  return {
    inputs,
    outputs,
    async run(inputBytes: Uint8Array[]): Promise<Uint8Array[]> {
      if (disposed) throw new Error('oracle session used after dispose()');
      if (inputBytes.length !== inputs.length) {
        throw new MlbenchError('validation', `oracle: model has ${inputs.length} inputs, got ${inputBytes.length}`);
      }
      const tensors: LiteRtTensor[] = [];
      let results: LiteRtTensor[] = [];
      try {
        for (let i = 0; i < inputs.length; i++) tensors.push(new api.Tensor(viewOf(inputBytes[i], inputs[i]), inputs[i].shape));
        results = await compiled.run(tensors);
        return results.map((t) => bytesOf(t.toTypedArray()));
      } finally {
        for (const t of tensors) t.delete();
        for (const t of results) t.delete();
      }
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      compiled.delete();
    },
  };
}

/** Loads LiteRT (once per process, ~70 ms) and returns the oracle. */
export async function loadOracle(): Promise<Oracle> {
  const api = await loadLiteRtRuntime();
  const open = new Set<OracleSession>();
  return {
    async run(modelBytes, inputs) {
      const s = await compileSession(api, modelBytes);
      try {
        return await s.run(inputs);
      } finally {
        s.dispose();
      }
    },
    async compile(modelBytes) {
      const s = await compileSession(api, modelBytes);
      const dispose = s.dispose;
      open.add(s);
      s.dispose = () => {
        open.delete(s);
        dispose();
      };
      return s;
    },
    dispose() {
      // The runtime itself stays loaded (LiteRT allows one per process); free what we compiled.
      for (const s of [...open]) s.dispose();
    },
  };
}
