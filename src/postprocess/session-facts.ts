// What the HTML report shows beside the rows, read from the session folder: where the numbers
// came from (command line, mlbench and tool versions), the per-layer profiles of runs that ran
// with `-f profile`, and each target's flash and RAM size to draw on the ROM/RAM charts. Every
// file read here may come from elsewhere: paths are confined and malformed content is ignored.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { confinedChild } from '../core/confine.js';
import { pkgPath } from '../core/paths.js';
import { readJson } from '../flow/files.js';
import { Registry } from '../flow/registry.js';
import type { ReportRow } from '../flow/report.js';
import { cellText, describeKey, isOk } from './rows.js';

export interface Provenance {
  command: string;
  created: string;
  mlbench: string;
  /** Tool → the versions the session's runs used (several when runs differ). */
  tools: Record<string, string[]>;
}

export interface LayerProfile {
  run: string;
  label: string;
  layers: [name: string, instructions: number][];
}

/** Target → flash and RAM bytes of the real device (only targets with a finite size). */
export type MemoryLimits = Record<string, { rom: number; ram: number }>;

export interface SessionFacts {
  provenance?: Provenance;
  profiles: LayerProfile[];
  limits: MemoryLimits;
}

const MAX_PROFILES = 24;

/** A command line as it could be typed again: arguments with shell characters single-quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function mlbenchVersion(): string {
  try {
    return String((JSON.parse(readFileSync(pkgPath('package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

function runFile(sessionDir: string, run: string, ...rel: string[]): string | undefined {
  const runs = join(sessionDir, 'runs');
  if (!run || !existsSync(runs)) return undefined;
  try {
    const file = join(confinedChild(runs, run, 'report Run cell'), ...rel);
    return existsSync(file) && lstatSync(file).isFile() ? file : undefined;
  } catch {
    return undefined; // a Run cell that is no plain folder name has no files to show
  }
}

function readProvenance(sessionDir: string, rows: ReportRow[]): Provenance | undefined {
  const record = readJson<{ argv?: unknown; created?: unknown }>(join(sessionDir, 'session.json'));
  if (!record) return undefined;
  const argv = Array.isArray(record.argv) ? record.argv.filter((a): a is string => typeof a === 'string') : [];
  const tools: Record<string, Set<string>> = {};
  for (const r of rows) {
    const file = runFile(sessionDir, cellText(r, 'Run'), 'run.json');
    const versions = file ? readJson<{ toolVersions?: unknown }>(file)?.toolVersions : undefined;
    if (typeof versions !== 'object' || versions === null) continue;
    for (const [tool, v] of Object.entries(versions)) if (typeof v === 'string') (tools[tool] ??= new Set()).add(v);
  }
  return {
    command: `mlbench ${shellLine(argv)}`.trim(),
    created: typeof record.created === 'string' ? record.created : '',
    mlbench: mlbenchVersion(),
    tools: Object.fromEntries(Object.entries(tools).sort(([a], [b]) => a.localeCompare(b)).map(([t, v]) => [t, [...v].sort()])),
  };
}

function readProfiles(sessionDir: string, rows: ReportRow[]): LayerProfile[] {
  const out: LayerProfile[] = [];
  for (const r of rows.filter(isOk)) {
    if (out.length >= MAX_PROFILES) break;
    const file = runFile(sessionDir, cellText(r, 'Run'), 'run', 'profile.csv');
    if (!file) continue;
    try {
      const records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      const layers = records
        .map((x): [string, number] => [String(x.Layer ?? ''), Number(x.Instructions)])
        .filter(([name, n]) => name !== '' && Number.isFinite(n));
      if (layers.length) out.push({ run: cellText(r, 'Run'), label: describeKey(r, ['Model', 'Backend', 'Target', 'Features', 'Config']), layers });
    } catch {
      // a damaged profile.csv is left out of the page; the run's row still shows
    }
  }
  return out;
}

function readLimits(rows: ReportRow[]): MemoryLimits {
  const registry = new Registry();
  const limits: MemoryLimits = {};
  for (const target of new Set(rows.map((r) => cellText(r, 'Target')))) {
    try {
      const d = registry.get('target', target).descriptor;
      if (Number.isSafeInteger(d.flashBytes) && d.flashBytes < Number.MAX_SAFE_INTEGER) limits[target] = { rom: d.flashBytes, ram: d.ramBytes };
    } catch {
      // a target this mlbench does not know (a report from elsewhere): no limit to draw
    }
  }
  return limits;
}

export function sessionFacts(sessionDir: string, rows: ReportRow[]): SessionFacts {
  return { provenance: readProvenance(sessionDir, rows), profiles: readProfiles(sessionDir, rows), limits: readLimits(rows) };
}
