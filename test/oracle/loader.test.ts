import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { locateLiteRt, patchLiteRtSource } from '../../src/frameworks/litert/loader.js';

describe('LiteRT loader', () => {
  test('a missing @litertjs/core is a tool-missing error naming the install command', () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'mlbench-no-litert-')), 'x.js');
    let error: unknown;
    try {
      locateLiteRt(elsewhere);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MlbenchError);
    expect((error as MlbenchError).kind).toBe('tool-missing');
    expect((error as MlbenchError).hint).toBe('npm install --save-dev @litertjs/core@2.5.3');
  });

  test('the installed package is found with its wasm-utils dependency', () => {
    const found = locateLiteRt();
    expect(found.coreDir.endsWith(join('node_modules', '@litertjs', 'core'))).toBe(true);
    expect(found.wasmUtilsEntry.endsWith(join('@litertjs', 'wasm-utils', 'dist', 'index.js'))).toBe(true);
  });

  test('patching refuses a source whose anchor text moved', () => {
    expect(() => patchLiteRtSource('var DATATYPES = Object.freeze([]);', 'file:///x.js')).toThrow(/anchor text found 0 times/);
  });
});
