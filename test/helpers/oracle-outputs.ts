// The LiteRT oracle's outputs for every input vector of one model (compiled once, then disposed).
import type { Oracle } from '../../src/frameworks/litert/oracle.js';

export async function oracleOutputs(oracle: Oracle, tflite: Uint8Array, vectors: readonly Uint8Array[][]): Promise<Uint8Array[][]> {
  const session = await oracle.compile(tflite);
  const expected: Uint8Array[][] = [];
  try {
    for (const v of vectors) expected.push(await session.run(v));
  } finally {
    session.dispose();
  }
  return expected;
}
