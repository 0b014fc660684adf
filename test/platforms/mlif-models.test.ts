// Real models end to end through mlif: tflite frontend → mlbaot backend → mlif on riscv_qemu,
// validated against the reference outputs next to the model.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mlbaotBackend } from '../../src/backends/mlbaot/index.js';
import { sharedModelsDir } from '../../src/core/paths.js';
import { features } from '../../src/features/index.js';
import { tfliteFrontend } from '../../src/frontends/tflite/index.js';
import { mlifPlatform } from '../../src/platforms/mlif/index.js';
import { riscvQemuTarget } from '../../src/targets/riscv_qemu.js';
import { testContext } from '../helpers/context.js';

const models = sharedModelsDir();
const present = models !== undefined && existsSync(join(models, 'toycar', 'toycar.tflite'));
if (!present) console.warn('skipping mlif model test: shared models not found (set MLBENCH_MODELS)');

describe.skipIf(!present)('real models through mlbaot and mlif on riscv_qemu', () => {
  it.each([
    ['toycar', 'toycar.tflite'],
    ['sine_model', 'sine_model.tflite'],
  ])('%s passes validation on every reference vector', async (name, file) => {
    const dir = join(models!, name);
    const runDir = mkdtempSync(join(tmpdir(), `mlbench-${name}-`));
    const components = [tfliteFrontend, mlbaotBackend, mlifPlatform, riscvQemuTarget, ...features];
    // fp32 requantization reproduces the TFLite reference files bit for bit (tflm math may differ by 1 LSB).
    const config = { 'mlbaot.requantize': 'fp32' };
    const ctx = (stage: string) => testContext({ stage, components, config, features: ['validate'], runDir });
    const load = await tfliteFrontend.load(ctx('load'), join(dir, file), dir);
    const build = await mlbaotBackend.build(ctx('build'), load);
    const compiled = await mlifPlatform.compile(ctx('compile'), build, riscvQemuTarget, load);
    const ran = await mlifPlatform.run(ctx('run'), compiled, riscvQemuTarget, load);
    const n = load.reference.vectors.length;
    expect(n).toBeGreaterThan(0);
    expect(compiled.validationVectors).toBe(n);
    expect(ran.metrics.Validation).toBe(`pass ${n}/${n}`);
    expect(ran.metrics['Run Instructions']).toBeGreaterThan(100);
    expect(compiled.memory['ROM Read-only']).toBeGreaterThan(load.summary.constantBytes * 0.9);
  });
});
