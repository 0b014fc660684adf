// MLonMCU's generator options take several values per occurrence (`--config-gen a.x=1 b.y=2` is
// one variant setting two keys) while model names are positional too. yargs cannot tell them
// apart, so the groups are lifted out of argv first: config values are the tokens that contain
// '=' (or a known `component.key` followed by its value, as MLonMCU users type `-c key value`),
// feature values are known feature names or '_'. Only `flow` and `report` take these options:
// every other command keeps its argv as typed (`env --config` is a flag of its own).
// `--feature-gen2..9` and `--config-gen2..9` open further axes, as in MLonMCU: the axes multiply,
// the occurrences of one flag are that axis's variants. A bare `-j`/`--parallel` means all cores,
// as in MLonMCU, and never swallows the model name after it.

export interface GenGroups {
  argv: string[];
  /** Axes in flag order (--feature-gen, --feature-gen2, ...); each axis is a list of variants. */
  featureGen: string[][][];
  configGen: string[][][];
  config: string[];
}

/** `--config-gen` → ['config', 0], `--feature-gen3` → ['feature', 2]; undefined for other flags. */
function genFlag(flag: string): ['feature' | 'config', number] | undefined {
  const m = /^--(feature|config)-gen([2-9])?$/.exec(flag);
  return m ? [m[1] as 'feature' | 'config', m[2] ? Number(m[2]) - 1 : 0] : undefined;
}

const axesOf = (byAxis: string[][][]): string[][][] => byAxis.filter((axis) => axis !== undefined && axis.length > 0);

/** Commands whose `-c/--config`, `--config-gen` and `--feature-gen` are lifted out here. */
const GROUPED_COMMANDS = new Set(['flow', 'report']);

/** A bare `-j`/`--parallel` (MLonMCU: all cores) is followed by anything but a number. */
const NUMBER_LIKE = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export interface ArgvVocabulary {
  featureNames: readonly string[];
  /** Component and postprocess names: a token `name.key` with one of these is a config key. */
  componentNames: readonly string[];
}

export function extractGenGroups(argv: string[], vocabulary: ArgvVocabulary): GenGroups {
  const command = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--home');
  if (!command || !GROUPED_COMMANDS.has(command)) return { argv: [...argv], featureGen: [], configGen: [], config: [] };
  const components = new Set(vocabulary.componentNames);
  const isKey = (t: string): boolean => {
    const dot = t.indexOf('.');
    return dot > 0 && !t.includes('=') && components.has(t.slice(0, dot));
  };
  const isValue = (t: string | undefined): t is string => t !== undefined && !t.startsWith('-') && !t.includes('=');
  const out: string[] = [];
  const featureGen: string[][][] = [];
  const configGen: string[][][] = [];
  const config: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = eq > 0 && a.startsWith('--') ? a.slice(0, eq) : a;
    const inline = eq > 0 && a.startsWith('--') ? [a.slice(eq + 1)] : [];
    const take = (accept: (t: string) => boolean): string[] => {
      const vals = [...inline];
      while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
        const next = argv[i + 1];
        if (isKey(next) && isValue(argv[i + 2])) {
          vals.push(`${next}=${argv[i + 2]}`);
          i += 2;
        } else if (vals.length === 0 || accept(next)) {
          vals.push(argv[++i]);
        } else break;
      }
      return vals;
    };
    const gen = genFlag(flag);
    if (gen?.[0] === 'feature') (featureGen[gen[1]] ??= []).push(take((t) => t === '_' || vocabulary.featureNames.includes(t)));
    else if (gen?.[0] === 'config') (configGen[gen[1]] ??= []).push(take((t) => t.includes('=') || t === '_'));
    else if (flag === '-c' || flag === '--config') config.push(...take((t) => t.includes('=')));
    else if ((a === '-j' || a === '--parallel') && !NUMBER_LIKE.test(argv[i + 1] ?? '')) out.push('--parallel=all');
    else out.push(a);
  }
  return { argv: out, featureGen: axesOf(featureGen), configGen: axesOf(configGen), config };
}
