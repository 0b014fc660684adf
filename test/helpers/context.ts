// A real StageContext for component tests: a temp run directory, a private cache.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Component, StageContext } from '../../src/core/component.js';
import { ConfigView, schemaOf, validateConfig } from '../../src/core/config.js';
import { DirectoryCache } from '../../src/core/cache.js';
import { createStageContext } from '../../src/core/stage-context.js';

export interface TestContextOptions {
  stage: string;
  components: Pick<Component, 'name' | 'config'>[];
  config?: Record<string, unknown>;
  features?: string[];
  runDir?: string;
  /** Shared cache dir so tests reuse compiled libraries; default: one per test process. */
  cacheDir?: string;
}

const defaultCache = join(tmpdir(), 'mlbench-test-cache');

export function testContext(o: TestContextOptions): StageContext {
  const schema = schemaOf(o.components);
  const values = validateConfig(schema, o.config ?? {});
  const runDir = o.runDir ?? mkdtempSync(join(tmpdir(), 'mlbench-run-'));
  const cacheDir = o.cacheDir ?? defaultCache;
  return createStageContext({
    sessionId: 'test',
    runId: 'test',
    runDir,
    stage: o.stage,
    config: new ConfigView(values, schema),
    features: o.features ?? [],
    cache: new DirectoryCache(cacheDir),
    env: { home: runDir, modelPaths: [], tools: {}, cacheDir },
  });
}
