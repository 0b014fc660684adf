// Model files from elsewhere: a link to /dev/zero, a FIFO or a folder is refused at once (never
// read), and so is a file over tflite.max_bytes; the check holds on the open file too.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModelFile, readModelFile } from '../../src/core/model-file.js';
import { sharedModelsDir } from '../../src/core/paths.js';
import { mlbench, tempHome } from '../e2e/cli-helpers.js';

function badModels(): Record<string, string> {
  const d = mkdtempSync(join(tmpdir(), 'mlb-models-'));
  symlinkSync('/dev/zero', join(d, 'zero.tflite'));
  execFileSync('mkfifo', [join(d, 'fifo.tflite')]);
  mkdirSync(join(d, 'folder.tflite'));
  return { zero: join(d, 'zero.tflite'), fifo: join(d, 'fifo.tflite'), folder: join(d, 'folder.tflite') };
}

describe('model files are regular files under the size limit', () => {
  it('refuses links to devices, FIFOs and folders without reading them', () => {
    const m = badModels();
    for (const read of [checkModelFile, readModelFile]) {
      expect(() => read(m.zero)).toThrow(`model file ${m.zero} is a device; only regular files are read`);
      expect(() => read(m.fifo)).toThrow(`model file ${m.fifo} is a FIFO; only regular files are read`);
      expect(() => read(m.folder)).toThrow(`model file ${m.folder} is a folder; only regular files are read`);
    }
  });

  it('refuses a file over the limit and reads one within it', () => {
    const d = mkdtempSync(join(tmpdir(), 'mlb-models-'));
    const f = join(d, 'm.tflite');
    copyFileSync('/etc/hostname', f);
    expect(() => readModelFile(f, 1)).toThrow(/has \d+ bytes, over the limit of 1/);
    expect(readModelFile(f).length).toBeGreaterThan(0);
  });

  it.skipIf(!sharedModelsDir())('the CLI refuses them before any session, with exit 2', async () => {
    const home = tempHome();
    const m = badModels();
    for (const file of [m.zero, m.fifo]) {
      const r = await mlbench(home, ['flow', 'load', file]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('only regular files are read');
    }
    const big = await mlbench(home, ['flow', 'load', 'sine_model', '-c', 'tflite.max_bytes=100']);
    expect(big.exitCode).toBe(2);
    expect(big.stderr).toMatch(/over the limit of 100 \(raise tflite.max_bytes/);
  });
});
