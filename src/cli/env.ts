// `mlbench env`: every component, whether it is usable here, and exactly what is missing.
import { loadEnvironment } from '../flow/environment.js';
import { availabilityOf } from '../flow/preflight.js';
import { Registry } from '../flow/registry.js';

export async function envCommand(o: { home?: string; json: boolean; config: boolean }): Promise<number> {
  const env = loadEnvironment(o.home);
  const registry = new Registry();
  const rows = await Promise.all(
    registry.components().map(async (c) => {
      const a = await availabilityOf(c, env);
      return {
        kind: c.kind,
        name: c.name,
        aliases: c.aliases ?? [],
        usable: a.usable && !env.settings.disabled.includes(c.name),
        disabled: env.settings.disabled.includes(c.name),
        version: a.version ?? '',
        missing: a.missing,
        howToGet: a.howToGet ?? '',
        description: c.description,
      };
    }),
  );
  if (o.json) {
    const config = o.config
      ? [...registry.schema()].map(([key, spec]) => ({ key, type: spec.type, default: spec.default, choices: spec.choices ?? null, min: spec.min ?? null, max: spec.max ?? null, help: spec.help }))
      : undefined;
    const out = { home: env.home, environmentFile: env.file ?? null, modelPaths: env.modelPaths, components: rows, config };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [
    `home: ${env.home}${env.file ? '' : ' (not initialised: using built-in defaults; `mlbench init` creates it)'}`,
    `model search path: ${env.modelPaths.join(', ')}`,
    '',
  ];
  for (const kind of ['frontend', 'framework', 'backend', 'platform', 'target', 'feature'] as const) {
    lines.push(`${kind}s:`);
    for (const r of rows.filter((x) => x.kind === kind)) {
      const state = r.disabled ? 'disabled' : r.usable ? 'usable' : 'NOT USABLE';
      const alias = r.aliases.length ? ` (${r.aliases.join(', ')})` : '';
      lines.push(`  ${`${r.name}${alias}`.padEnd(28)} ${state.padEnd(11)} ${r.version ? `${r.version} ` : ''}${r.description}`);
      for (const m of r.missing) lines.push(`  ${''.padEnd(28)}   missing: ${m}`);
      if (!r.usable && r.howToGet) lines.push(`  ${''.padEnd(28)}   how to get it: ${r.howToGet}`);
    }
  }
  if (o.config) {
    lines.push('', 'config keys (set with -c key=value):');
    for (const [key, spec] of registry.schema()) {
      const choices = spec.choices ? ` [${spec.choices.join('|')}]` : '';
      lines.push(`  ${key.padEnd(34)} ${spec.type}${choices} = ${JSON.stringify(spec.default)}  ${spec.help}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
