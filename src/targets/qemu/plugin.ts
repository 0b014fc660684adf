// Builds mlbench's QEMU TCG plugin (plugin/mlbench_insn.c) with the host compiler, once per
// source version and compiler version, through the shared build cache.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildCache } from '../../core/component.js';
import { runTool } from '../../core/exec.js';
import { MlbenchError } from '../../core/errors.js';
import { pkgPath } from '../../core/paths.js';

export const PLUGIN_SOURCE = pkgPath('src/targets/qemu/plugin/mlbench_insn.c');
export const PLUGIN_FILE = 'libmlbench_insn.so';
/** Exit status of QEMU when the plugin stopped the program at the instruction limit. */
export const PLUGIN_LIMIT_EXIT_STATUS = 124;
/** Exit status of QEMU when a fault handler was entered a second time (a fault loop). */
export const PLUGIN_FAULT_LOOP_EXIT_STATUS = 125;
/** Exit status of QEMU when the plugin saw no instruction complete for `stall_ms`. */
export const PLUGIN_STALL_EXIT_STATUS = 126;

async function hostCompilerVersion(cc: string): Promise<string> {
  const r = await runTool(cc, ['--version'], { allowFailure: true }).catch(() => undefined);
  if (!r || r.exitCode !== 0) throw new MlbenchError('tool-missing', `${cc} (host C compiler) not found`, { hint: 'apt-get install gcc' });
  return r.stdout.split('\n')[0];
}

/** Path of the compiled plugin (.so), building it into the cache when missing. */
export async function qemuPluginPath(cache: BuildCache, cc = 'gcc'): Promise<string> {
  const source = readFileSync(PLUGIN_SOURCE);
  const flags = ['-shared', '-fPIC', '-pthread', '-O2', '-Wall'];
  const key = {
    what: 'qemu-plugin',
    source: createHash('sha256').update(source).digest('hex'),
    cc,
    version: await hostCompilerVersion(cc),
    flags,
  };
  const dir = await cache.directory(key, async (out) => {
    const r = await runTool(cc, [...flags, '-o', join(out, PLUGIN_FILE), PLUGIN_SOURCE]);
    if (r.exitCode !== 0) {
      throw new MlbenchError('tool-failed', `building the QEMU plugin failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
  });
  return join(dir, PLUGIN_FILE);
}

export interface PluginResults {
  instructions: number;
  limitHit: boolean;
  /** Address of the fault handler that was re-entered, when the plugin stopped a fault loop. */
  faultLoop?: number;
  /** No instruction completed for the stall time: the CPU traps on every fetch. */
  stalled: boolean;
  /** Completed region counts; a region still open at exit is left out. */
  regions: Record<string, number>;
  stackLowest?: number;
  layers: { name: string; instructions: number }[];
}

export function parsePluginResults(text: string): PluginResults {
  const res: PluginResults = { instructions: 0, limitHit: false, stalled: false, regions: {}, layers: [] };
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    switch (f[0]) {
      case 'instructions':
        res.instructions = Number(f[1]);
        break;
      case 'limit_hit':
        res.limitHit = f[1] === '1';
        break;
      case 'stalled':
        res.stalled = f[1] === '1';
        break;
      case 'fault_loop':
        res.faultLoop = Number.parseInt(f[1], 16);
        break;
      case 'region':
        if (f[3] !== '1') res.regions[f[1]] = Number(f[2]);
        break;
      case 'stack_low':
        res.stackLowest = Number.parseInt(f[1], 16);
        break;
      case 'layer':
        res.layers.push({ name: f[1], instructions: Number(f[2]) });
        break;
    }
  }
  return res;
}

/** Names travel inside QEMU's comma-separated -plugin option and our NAME:ADDR:ADDR triples. */
export function pluginSafeName(name: string): string {
  return name.replace(/[^\w.$-]/g, '_');
}
