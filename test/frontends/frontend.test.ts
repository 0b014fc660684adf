// The tflite frontend as the flow calls it: copy, parse, write load.json and summary.txt.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { LoadArtifact } from '../../src/core/artifacts.js';
import { frontends } from '../../src/frontends/index.js';
import { tfliteFrontend } from '../../src/frontends/tflite/index.js';
import { testContext } from '../helpers/context.js';
import { HAVE_MODELS, modelDir, modelPath, warnIfMissing } from './shared-models.js';

warnIfMissing('frontends/frontend');

describe('tflite frontend', () => {
  test('is registered with its extension', () => {
    expect(frontends.map((f) => [f.name, f.kind, f.fileExtensions])).toEqual([['tflite', 'frontend', ['.tflite']]]);
  });

  test('a missing file is a model error naming it', async () => {
    const ctx = testContext({ stage: 'load', components: [tfliteFrontend] });
    await expect(tfliteFrontend.load(ctx, '/nonexistent/x.tflite', undefined)).rejects.toMatchObject({
      kind: 'model',
      message: 'cannot read model file /nonexistent/x.tflite (ENOENT)',
      hint: 'check the model name or path',
    });
  });

  test.skipIf(!HAVE_MODELS)('loads resnet into the stage folder', async () => {
    const ctx = testContext({ stage: 'load', components: [tfliteFrontend] });
    const art = await tfliteFrontend.load(ctx, modelPath('resnet'), modelDir('resnet'));
    expect(art.frontend).toBe('tflite');
    expect(art.modelFile).toBe(join(ctx.dir, 'resnet.tflite'));
    expect(readFileSync(art.modelFile)).toEqual(readFileSync(modelPath('resnet')));
    expect(art.summary.macs).toBe(12_501_632);
    expect(art.reference.inputFormat).toBe('uint8-offset');
    expect(art.reference.vectors.length).toBe(10);
    const onDisk = JSON.parse(readFileSync(join(ctx.dir, 'load.json'), 'utf8')) as LoadArtifact;
    expect(onDisk).toEqual(art);
    const text = readFileSync(join(ctx.dir, 'summary.txt'), 'utf8');
    expect(text).toContain('MACs: 12501632');
    expect(text).toContain('constant data: 78752 bytes (76.9 kB)');
    expect(text.split('\n').filter((l) => /^\d+ /.test(l)).length).toBe(16);
    expect(readFileSync(ctx.logFile, 'utf8')).toContain('loaded resnet.tflite: 16 operators, 12501632 MACs');
  });

  test.skipIf(!HAVE_MODELS)('without a model folder, looks next to the model file', async () => {
    const ctx = testContext({ stage: 'load', components: [tfliteFrontend] });
    const art = await tfliteFrontend.load(ctx, modelPath('sine_model'), undefined);
    expect(art.reference.vectors.length).toBe(4);
    expect(existsSync(join(ctx.dir, 'sine_model.tflite'))).toBe(true);
  });
});
