import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../src/core/paths.js';
import { listModels, resolveModels } from '../../src/flow/models.js';

const shared = sharedModelsDir();
if (!shared) console.warn('skipping model lookup tests: shared models not found (set MLBENCH_MODELS)');

describe.skipIf(!shared)('model lookup', () => {
  const paths = [shared!];
  it('expands groups in order', () => {
    expect(resolveModels(['tinymlperf'], paths).map((m) => m.name)).toEqual(['aww', 'vww', 'resnet', 'toycar']);
    expect(resolveModels(['minimal', 'aww', 'aww'], paths).map((m) => m.name)).toEqual(['sine_model', 'aww']);
  });

  it('finds nested names and keeps the folder for reference data', () => {
    const [m] = resolveModels(['tests/model_with_add'], paths);
    expect(m.file).toBe(`${shared}/tests/model_with_add/model_with_add.tflite`);
    expect(m.dir).toBe(`${shared}/tests/model_with_add`);
  });

  it('refuses an unknown model naming the closest one', () => {
    expect(() => resolveModels(['awv'], paths)).toThrow('unknown model awv');
    try {
      resolveModels(['awv'], paths);
    } catch (e) {
      expect((e as { hint?: string }).hint).toBe('did you mean aww?');
    }
  });

  it('lists the zoo', () => {
    const names = listModels(paths).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['aww', 'vww', 'resnet', 'toycar', 'sine_model', 'tests/model_with_add']));
  });
});
