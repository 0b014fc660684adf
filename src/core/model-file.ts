// Reads a model file someone else may have made: only a regular file, only up to a size limit.
// A link to /dev/zero, a FIFO or a device would otherwise be read forever (blocking the event
// loop, so not even Ctrl-C gets through); a huge file would exhaust memory. A refused file is
// bad input (kind 'config': exit 2, nothing ran).
import { closeSync, fstatSync, constants, openSync, readSync, statSync, type Stats } from 'node:fs';
import { MlbenchError } from './errors.js';

/** Default of `<frontend>.max_bytes`. */
export const DEFAULT_MODEL_MAX_BYTES = 256 * 1024 * 1024;

function refuseUnlessModelFile(path: string, st: Stats, maxBytes: number): void {
  if (!st.isFile()) {
    const what = st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isDirectory() ? 'a folder' : 'not a regular file';
    throw new MlbenchError('config', `model file ${path} is ${what}; only regular files are read`, { hint: 'name a .tflite file' });
  }
  if (st.size > maxBytes) {
    throw new MlbenchError('config', `model file ${path} has ${st.size} bytes, over the limit of ${maxBytes}`, {
      hint: 'raise tflite.max_bytes if the model is really this large',
    });
  }
}

/** Refuses a model path that is not a regular file (links are followed) or is over the limit. */
export function checkModelFile(path: string, maxBytes = DEFAULT_MODEL_MAX_BYTES): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MlbenchError('model', `cannot read model file ${path}${code ? ` (${code})` : ''}`, { hint: 'check the model name or path', cause: e });
  }
  refuseUnlessModelFile(path, st, maxBytes);
}

/** The bytes of a model file, checked on the open file itself (no swap between check and read). */
export function readModelFile(path: string, maxBytes = DEFAULT_MODEL_MAX_BYTES): Uint8Array {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO put in place after a check must not hang.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MlbenchError('model', `cannot read model file ${path}${code ? ` (${code})` : ''}`, { hint: 'check the model name or path', cause: e });
  }
  try {
    const st = fstatSync(fd);
    refuseUnlessModelFile(path, st, maxBytes);
    const bytes = new Uint8Array(st.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === bytes.length ? bytes : bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}
