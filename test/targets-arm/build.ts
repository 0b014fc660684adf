// Builds the mlif harness + a fixture model for a target with its own toolchain() and the mlif
// linker script, the way the mlif platform does, so the targets can be tested on their own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgramToRun, Target } from '../../src/core/component.js';
import { ConfigView, schemaOf } from '../../src/core/config.js';
import { linkerScript } from '../../src/platforms/mlif/linker.js';
import { functionAddress, readElf } from '../../src/targets/elf.js';

const ROOT = join(import.meta.dirname, '..', '..');
const HARNESS = join(ROOT, 'src/platforms/mlif/c');
const ADD_ONE = join(ROOT, 'test/platforms/fixtures/add_one');
const FIXTURES = join(import.meta.dirname, 'fixtures');

export interface BuildResult {
  program?: ProgramToRun;
  /** Linker output when the link failed. */
  linkError?: string;
}

export function buildFixture(target: Target, modelSource = join(ADD_ONE, 'model.c'), extraCflags: string[] = []): BuildResult {
  const tc = target.toolchain(new ConfigView({}, schemaOf([target])));
  if (!tc.memory) throw new Error(`${target.name} has no memory map`);
  const dir = mkdtempSync(join(tmpdir(), `mlbench-${target.name}-`));
  const script = join(dir, 'link.ld');
  writeFileSync(script, linkerScript({ ...tc.memory, stackBytes: 2048, heapBytes: 0 }));
  const elf = join(dir, 'prog.elf');
  const defines = Object.entries(tc.defines).map(([k, v]) => `-D${k}=${v}`);
  const sources = [join(HARNESS, 'mlif_main.c'), join(HARNESS, 'mlif_markers.c'), join(FIXTURES, 'no_vectors.c'), modelSource];
  const objects = sources.map((src, i) => {
    const obj = join(dir, `${i}.o`);
    execFileSync(tc.cc, [...tc.cflags, '-O2', '-ffunction-sections', '-fdata-sections', ...defines, ...extraCflags, `-I${HARNESS}`, `-I${ADD_ONE}`, '-c', src, '-o', obj]);
    return obj;
  });
  try {
    execFileSync(tc.cc, [...tc.ldflags, `-T${script}`, '-Wl,--gc-sections', ...objects, '-o', elf], { stdio: 'pipe' });
  } catch (e) {
    return { linkError: String((e as { stderr?: Buffer }).stderr ?? e) };
  }
  const parsed = readElf(elf);
  const markers: Record<string, number> = {};
  for (const region of ['total', 'setup', 'run']) {
    for (const edge of ['begin', 'end']) {
      const address = functionAddress(parsed, `mlif_marker_${region}_${edge}`);
      if (address === undefined) throw new Error(`marker ${region}_${edge} missing`);
      markers[`${region}_${edge}`] = address;
    }
  }
  return { program: { elf, markers, timeoutMs: 20_000, instructionLimit: 50_000_000 } };
}
