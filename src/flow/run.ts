// Executes one run: its stages in order, each in its own folder, each stage's artifact the next
// stage's input. A stage already recorded as done (by an earlier, interrupted process) is
// reused, so `flow resume` only does what is missing.
import { existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildArtifact, CompileArtifact, LoadArtifact, RunArtifact } from '../core/artifacts.js';
import type { BuildCache, TuneMeasure } from '../core/component.js';
import { ConfigView, validateConfig } from '../core/config.js';
import { confinedChild } from '../core/confine.js';
import { MlbenchError, errorMessage } from '../core/errors.js';
import { createStageContext } from '../core/stage-context.js';
import type { Environment } from './environment.js';
import { machineFaultOf } from './faults.js';
import { readJson, writeJsonAtomic } from './files.js';
import { STAGES, type RunSpec, type StageName } from './matrix.js';
import type { Registry } from './registry.js';

export type RunStatus = 'ok' | 'failed' | 'skipped' | 'interrupted';

export interface StageRecord {
  status: 'ok' | 'failed' | 'skipped';
  seconds: number;
  artifact?: string;
  error?: string;
  log?: string;
}

/** run.json: the resolved run and how far it got. */
export interface RunRecord {
  spec: RunSpec;
  resolvedConfig: Record<string, unknown>;
  stages: Partial<Record<StageName, StageRecord>>;
  toolVersions: Record<string, string>;
}

/** result.json: written atomically the moment the run ends. */
export interface RunResult {
  session: string;
  run: string;
  spec: RunSpec;
  status: RunStatus;
  failedStage?: StageName;
  reason?: string;
  logPath?: string;
  metrics: Record<string, number | string>;
  stageSeconds: Partial<Record<StageName, number>>;
  /** Config keys set and differing from their defaults. */
  nonDefaultConfig: Record<string, unknown>;
}

export interface RunOptions {
  sessionId: string;
  runDir: string;
  env: Environment;
  registry: Registry;
  cache: BuildCache;
  signal: AbortSignal;
  onStage?: (stage: StageName) => void;
}

const ARTIFACT_FILE: Record<StageName, string> = {
  load: 'load.json',
  tune: 'tune.json',
  build: 'build.json',
  compile: 'compile.json',
  run: 'run.json',
};

/**
 * The tune stage's measuring tape: build → compile → run of one variant in its own folder
 * (tune/variants/<label>/), with per-layer profiling and without validation.
 */
/** The report's Config: keys differing from the default, and every key -c or a variant set. */
export function shownConfig(spec: RunSpec, nonDefault: Record<string, unknown>): Record<string, unknown> {
  const set = new Set(spec.configSet ?? []);
  return Object.fromEntries(Object.entries(spec.config).filter(([k]) => k in nonDefault || set.has(k)));
}

function variantMeasure(spec: RunSpec, o: RunOptions, tuneDir: string, load: LoadArtifact): TuneMeasure {
  const { registry } = o;
  const schema = registry.schema();
  const backend = registry.get('backend', spec.backend);
  const platform = registry.get('platform', spec.platform);
  const target = registry.get('target', spec.target);
  const features = [...spec.features.filter((f) => f !== 'validate' && f !== 'autotune'), 'profile'];
  return async (overrides, label) => {
    const config = new ConfigView({ ...spec.config, ...validateConfig(schema, overrides) }, schema);
    const runDir = confinedChild(join(tuneDir, 'variants'), label.replace(/[^\w.-]+/g, '_'), 'tune variant label');
    const at = (stage: string) =>
      createStageContext({ sessionId: o.sessionId, runId: spec.id, runDir, stage, config, features, cache: o.cache, env: o.env, signal: o.signal });
    const built = await backend.build(at('build'), load);
    const compiled = await platform.compile(at('compile'), built, target, load);
    const ran = await platform.run(at('run'), compiled, target, load);
    return { profile: ran.profile ?? [], metrics: ran.metrics };
  };
}

/** run/profile.csv (instructions per layer) and the report's summary of it: the dominant layer. */
async function writeProfile(dir: string, profile: { name: string; instructions: number }[]): Promise<Record<string, string>> {
  const total = profile.reduce((a, p) => a + p.instructions, 0);
  const pct = (n: number): string => (total ? ((100 * n) / total).toFixed(1) : '0.0');
  const lines = ['Layer,Instructions,Share %', ...profile.map((p) => `${p.name},${p.instructions},${pct(p.instructions)}`)];
  await writeFile(join(dir, 'profile.csv'), `${lines.join('\n')}\n`);
  const top = profile.reduce((a, b) => (b.instructions > a.instructions ? b : a));
  return { 'Top Layer': `${top.name} (${pct(top.instructions)}%)` };
}

export async function executeRun(spec: RunSpec, o: RunOptions): Promise<RunResult> {
  const { registry } = o;
  mkdirSync(o.runDir, { recursive: true });
  const recordFile = join(o.runDir, 'run.json');
  const config = new ConfigView(spec.config, registry.schema());
  const previous = readJson<RunRecord>(recordFile);
  const record: RunRecord = {
    spec,
    resolvedConfig: config.all(),
    stages: previous && JSON.stringify(previous.spec) === JSON.stringify(spec) ? previous.stages : {},
    toolVersions: previous?.toolVersions ?? {},
  };
  const metrics: Record<string, number | string> = {};
  const stageSeconds: RunResult['stageSeconds'] = {};
  const frontend = registry.get('frontend', spec.frontend);
  const backend = registry.get('backend', spec.backend);
  const platform = registry.get('platform', spec.platform);
  const target = registry.get('target', spec.target);
  const lastIndex = STAGES.indexOf(spec.until);
  const result = (status: RunStatus, extra: Partial<RunResult> = {}): RunResult => ({
    session: o.sessionId,
    run: spec.id,
    spec,
    status,
    metrics,
    stageSeconds,
    nonDefaultConfig: shownConfig(spec, config.nonDefault()),
    ...extra,
  });

  let load: LoadArtifact | undefined;
  let build: BuildArtifact | undefined;
  let compiled: CompileArtifact | undefined;
  let tuning: Record<string, unknown> | undefined;
  const tuneWanted = spec.features.includes('autotune') || spec.until === 'tune';
  for (const stage of STAGES.slice(0, lastIndex + 1)) {
    if (stage === 'tune' && (!backend.tune || !tuneWanted)) continue;
    if (o.signal.aborted) return result('interrupted', { reason: 'interrupted before ' + stage });
    const ctx = createStageContext({
      sessionId: o.sessionId,
      runId: spec.id,
      runDir: o.runDir,
      stage,
      config,
      features: spec.features,
      cache: o.cache,
      env: o.env,
      signal: o.signal,
    });
    const artifactFile = join(ctx.dir, ARTIFACT_FILE[stage]);
    const done = record.stages[stage];
    const reuse = done?.status === 'ok' && existsSync(artifactFile);
    o.onStage?.(stage);
    const started = Date.now();
    try {
      if (stage === 'load') {
        load = reuse ? readJson<LoadArtifact>(artifactFile) : await frontend.load(ctx, spec.model.file, spec.model.dir);
        if (!load) throw new Error('load artifact unreadable');
        if (load.warnings?.length) metrics.Warnings = load.warnings.join('; ');
        const reasons = await backend.check(load, load.modelFile);
        if (reasons.length) {
          record.stages.load = { status: 'ok', seconds: (Date.now() - started) / 1000, artifact: artifactFile };
          await writeJsonAtomic(recordFile, record);
          return result('skipped', { failedStage: 'build', reason: `${backend.name}: ${reasons.join('; ')}` });
        }
      } else if (stage === 'tune') {
        if (reuse) tuning = readJson<Record<string, unknown>>(artifactFile);
        else {
          const measure = variantMeasure(spec, o, ctx.dir, load!);
          tuning = (await backend.tune?.(ctx, load!, measure)) ?? {};
          await writeJsonAtomic(artifactFile, tuning);
        }
      } else if (stage === 'build') {
        build = reuse ? readJson<BuildArtifact>(artifactFile) : await backend.build(ctx, load!, tuning);
        if (build) metrics['Model Arena'] = build.arenaBytes;
      } else if (stage === 'compile') {
        compiled = reuse ? readJson<CompileArtifact>(artifactFile) : await platform.compile(ctx, build!, target, load!);
        if (compiled) {
          Object.assign(metrics, compiled.memory);
          if (compiled.floatArithmetic) metrics.Float = compiled.floatArithmetic;
          Object.assign(record.toolVersions, compiled.toolVersions);
        }
      } else if (stage === 'run') {
        const ran: RunArtifact = await platform.run(ctx, compiled!, target, load!);
        for (const [k, v] of Object.entries(ran.metrics)) if (v !== undefined) metrics[k] = v;
        Object.assign(record.toolVersions, ran.toolVersions);
        if (ran.profile?.length) Object.assign(metrics, await writeProfile(ctx.dir, ran.profile));
      }
      const seconds = reuse ? (done?.seconds ?? 0) : (Date.now() - started) / 1000;
      stageSeconds[stage] = seconds;
      record.stages[stage] = { status: 'ok', seconds, artifact: artifactFile };
      await writeJsonAtomic(recordFile, record);
    } catch (e) {
      const seconds = (Date.now() - started) / 1000;
      stageSeconds[stage] = seconds;
      if (o.signal.aborted || (e instanceof MlbenchError && e.kind === 'interrupted')) {
        return result('interrupted', { failedStage: stage, reason: 'interrupted' });
      }
      // Not the run's own failure: no result, the session stops, `flow resume` redoes the stage.
      const fault = machineFaultOf(e, ctx.dir);
      if (fault) throw fault;
      if (e instanceof MlbenchError && e.measured) Object.assign(metrics, e.measured);
      const logPath = e instanceof MlbenchError && e.logPath ? e.logPath : ctx.logFile;
      const reason = errorMessage(e);
      ctx.log(`error: ${reason}`);
      if (!(e instanceof MlbenchError) && e instanceof Error && e.stack) ctx.log(e.stack);
      record.stages[stage] = { status: 'failed', seconds, error: reason, log: logPath };
      await writeJsonAtomic(recordFile, record);
      return result('failed', { failedStage: stage, reason, logPath });
    }
  }
  return result('ok');
}
