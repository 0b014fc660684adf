// The target of the run a build stage belongs to. StageContext does not carry it, so it is
// read from the run record (`run.json`, spec.target) and looked up in the target registry.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { StageContext, TargetDescriptor } from '../../core/component.js';

export interface RunTarget {
  name: string;
  descriptor: Pick<TargetDescriptor, 'arch' | 'cpu' | 'isa'>;
}

export function runTargetName(runDir: string): string | undefined {
  const file = join(runDir, 'run.json');
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as { spec?: { target?: unknown } };
    return typeof record.spec?.target === 'string' ? record.spec.target : undefined;
  } catch {
    return undefined;
  }
}

export async function runTarget(ctx: StageContext): Promise<RunTarget | undefined> {
  const name = runTargetName(ctx.runDir);
  if (!name) return undefined;
  // Imported lazily: the target registry is only needed when a real run asks for it.
  const { targets } = await import('../../targets/index.js');
  const t = targets.find((x) => x.name === name || (x.aliases ?? []).includes(name));
  return t ? { name: t.name, descriptor: t.descriptor } : undefined;
}

/**
 * A backend setting from the model's definition.yml (`backends: <backend>: <key>`), the way
 * the MLonMCU model zoo gives per-model arena sizes. The model folder comes from run.json.
 */
export function modelDefinitionSetting(runDir: string, backend: string, key: string): unknown {
  const file = join(runDir, 'run.json');
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as { spec?: { model?: { dir?: unknown } } };
    const dir = record.spec?.model?.dir;
    if (typeof dir !== 'string' || !existsSync(join(dir, 'definition.yml'))) return undefined;
    const def = parseYaml(readFileSync(join(dir, 'definition.yml'), 'utf8')) as { backends?: Record<string, Record<string, unknown>> } | null;
    return def?.backends?.[backend]?.[key];
  } catch {
    return undefined;
  }
}
