// Compile + run of the add_one fixture through the mlif platform on a target.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompileArtifact, RunArtifact } from '../../src/core/artifacts.js';
import type { Target } from '../../src/core/component.js';
import { features } from '../../src/features/index.js';
import { mlifPlatform } from '../../src/platforms/mlif/index.js';
import { targets } from '../../src/targets/index.js';
import { testContext } from '../helpers/context.js';
import { addOneFixture, type AddOneOptions } from './fixtures/add-one.js';

export interface PipelineOptions extends AddOneOptions {
  config?: Record<string, unknown>;
  features?: string[];
}

export function contexts(target: Target, o: PipelineOptions) {
  const runDir = mkdtempSync(join(tmpdir(), 'mlbench-mlif-'));
  const components = [mlifPlatform, ...features, ...targets, target];
  const common = { components, config: o.config, features: o.features ?? ['validate'], runDir };
  const fixture = addOneFixture(runDir, o);
  return {
    runDir,
    ...fixture,
    compileCtx: testContext({ ...common, stage: 'compile' }),
    runCtx: testContext({ ...common, stage: 'run' }),
  };
}

export async function compileOnly(target: Target, o: PipelineOptions = {}): Promise<CompileArtifact> {
  const c = contexts(target, o);
  return mlifPlatform.compile(c.compileCtx, c.build, target, c.load);
}

export async function compileAndRun(
  target: Target,
  o: PipelineOptions = {},
): Promise<{ compiled: CompileArtifact; ran: RunArtifact }> {
  const c = contexts(target, o);
  const compiled = await mlifPlatform.compile(c.compileCtx, c.build, target, c.load);
  const ran = await mlifPlatform.run(c.runCtx, compiled, target, c.load);
  return { compiled, ran };
}
