// The environment: a home directory with environment.yml (from `mlbench init`) or, without
// one, the package's default template. Everything works without init.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { EnvironmentInfo } from '../core/component.js';
import { assertInside, isWithin, refuseSystemFolder } from '../core/confine.js';
import { MlbenchError } from '../core/errors.js';
import { PACKAGE_ROOT, pkgPath } from '../core/paths.js';

/** Values handed to git as arguments: one starting with "-" would be read as an option. */
const NOT_AN_OPTION = /^[^-]/;

const EnvironmentFile = z
  .object({
    paths: z
      .object({
        models: z.array(z.string()).default(['models']),
        sessions: z.string().default('sessions'),
        cache: z.string().default('cache'),
      })
      .strict()
      .default({ models: ['models'], sessions: 'sessions', cache: 'cache' }),
    tools: z.record(z.string(), z.string().nullable()).default({}),
    disabled: z.array(z.string()).default([]),
    defaults: z
      .object({
        backend: z.string().default('mlbaot'),
        target: z.string().default('host_x86'),
        platform: z.string().default('mlif'),
        frontend: z.string().default('tflite'),
      })
      .strict()
      .default({ backend: 'mlbaot', target: 'host_x86', platform: 'mlif', frontend: 'tflite' }),
    config: z.record(z.string(), z.unknown()).nullable().default({}),
    models_repo: z
      .object({ url: z.string().regex(NOT_AN_OPTION, 'must not start with "-"'), ref: z.string().regex(NOT_AN_OPTION, 'must not start with "-"').default('main') })
      .default({ url: 'https://github.com/tum-ei-eda/mlonmcu-models.git', ref: 'main' }),
  })
  .strict();

export type EnvironmentSettings = z.infer<typeof EnvironmentFile>;

export interface Environment extends EnvironmentInfo {
  file: string | undefined;
  sessionsDir: string;
  settings: EnvironmentSettings;
}

export const TEMPLATE = pkgPath('environments', 'default.yml');

export function resolveHome(explicit?: string): string {
  return resolve(explicit ?? process.env.MLBENCH_HOME ?? join(homedir(), '.mlbench'));
}

export function parseEnvironmentFile(text: string, origin: string): EnvironmentSettings {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    throw new MlbenchError('config', `${origin}: not valid YAML: ${(e as Error).message}`);
  }
  const r = EnvironmentFile.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MlbenchError('config', `${origin}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return r.data;
}

/**
 * A folder mlbench writes into (sessions, cache). Given by the user in an environment variable,
 * it may be anywhere but a system folder; from the environment file, it must lie inside the home
 * (links included), so a copied or crafted environment.yml cannot send writes elsewhere.
 */
function writableFolder(home: string, fromFile: string, expand: (p: string) => string, key: string, envVar: string, origin: string): string {
  const given = process.env[envVar];
  if (given) {
    const dir = resolve(given);
    refuseSystemFolder(dir, envVar);
    return dir;
  }
  const dir = expand(fromFile);
  refuseSystemFolder(dir, `${origin}: paths.${key}`);
  if (!isWithin(home, dir)) {
    throw new MlbenchError('config', `${origin}: paths.${key} ${dir} is outside the home ${home}`, {
      hint: `keep it inside the home, or set ${envVar} to use another folder`,
    });
  }
  assertInside(home, dir, `${origin}: paths.${key}`);
  return dir;
}

/** A file standing where the home (or a folder above it) should be would fail later as a bare ENOTDIR. */
function refuseFileAsHome(home: string): void {
  for (let p = home; ; p = dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) {
        throw new MlbenchError('config', `the mlbench home ${home} cannot be used: ${p} is a file, not a folder`, {
          hint: 'pass another folder with --home or MLBENCH_HOME, or move the file away',
        });
      }
      return;
    }
    if (dirname(p) === p) return;
  }
}

export function loadEnvironment(homeOption?: string): Environment {
  const home = resolveHome(homeOption);
  refuseSystemFolder(home, 'the mlbench home');
  refuseFileAsHome(home);
  const own = join(home, 'environment.yml');
  const file = existsSync(own) ? own : undefined;
  const origin = file ?? TEMPLATE;
  const settings = parseEnvironmentFile(readFileSync(origin, 'utf8'), origin);
  const expand = (p: string): string => {
    const s = p.replace('{package}', PACKAGE_ROOT).replace('{home}', home);
    return isAbsolute(s) ? resolve(s) : resolve(home, s);
  };
  const fromEnvVar = (process.env.MLBENCH_MODELS ?? '').split(':').filter(Boolean).map((p) => resolve(p));
  // Models are only read, so their folders may lie anywhere but in a pseudo file system.
  const modelPaths = [...fromEnvVar, ...settings.paths.models.map(expand)];
  for (const p of modelPaths) refuseSystemFolder(p, 'model folder', { readOnly: true });
  const tools: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings.tools)) if (v) tools[k] = v;
  return {
    home,
    file,
    settings,
    modelPaths,
    tools,
    cacheDir: writableFolder(home, settings.paths.cache, expand, 'cache', 'MLBENCH_CACHE_DIR', origin),
    sessionsDir: writableFolder(home, settings.paths.sessions, expand, 'sessions', 'MLBENCH_SESSIONS_DIR', origin),
  };
}

/** `mlbench init`: creates the home from the template; never overwrites an existing file. */
export function initHome(homeOption?: string): { home: string; created: boolean } {
  const home = resolveHome(homeOption);
  refuseSystemFolder(home, 'the mlbench home');
  refuseFileAsHome(home);
  const file = join(home, 'environment.yml');
  for (const d of ['models', 'sessions', 'cache']) mkdirSync(join(home, d), { recursive: true });
  if (existsSync(file)) return { home, created: false };
  writeFileSync(file, readFileSync(TEMPLATE, 'utf8'));
  return { home, created: true };
}
