// Runs the real CLI (compiled dist/) in a subprocess with a private home.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pkgPath, sharedModelsDir } from '../../src/core/paths.js';

export const BIN = pkgPath('bin', 'mlbench.js');

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'mlbench-home-'));
}

export function cliEnv(home: string): Record<string, string> {
  return { MLBENCH_HOME: home, MLBENCH_MODELS: sharedModelsDir() ?? '', FORCE_COLOR: '0' };
}

export function mlbench(home: string, args: string[]): ResultPromise<{ reject: false; env: Record<string, string> }> {
  return execa('node', [BIN, ...args], { reject: false, env: cliEnv(home) });
}

export function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => {
    const cells = splitCsvLine(l);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
