import { test, expect } from 'vitest';
import { compareLayers, formatLayerComparison } from '../../src/frameworks/litert/compare-layers.js';
test('scratch', async () => {
  const r = await compareLayers('/work/shared/models/aww/aww.tflite', { vector: 0, modelDir: '/work/shared/models/aww' });
  console.log(formatLayerComparison(r));
}, 120000);
