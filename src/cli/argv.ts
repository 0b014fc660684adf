// MLonMCU's generator options take several values per occurrence (`--config-gen a.x=1 b.y=2` is
// one variant setting two keys) while model names are positional too. yargs cannot tell them
// apart, so the groups are lifted out of argv first: config values are the tokens that contain
// '=', feature values are known feature names or '_'.

export interface GenGroups {
  argv: string[];
  featureGen: string[][];
  configGen: string[][];
  config: string[];
}

export function extractGenGroups(argv: string[], featureNames: readonly string[]): GenGroups {
  const out: string[] = [];
  const featureGen: string[][] = [];
  const configGen: string[][] = [];
  const config: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = eq > 0 && a.startsWith('--') ? a.slice(0, eq) : a;
    const inline = eq > 0 && a.startsWith('--') ? [a.slice(eq + 1)] : [];
    const take = (accept: (t: string) => boolean): string[] => {
      const vals = [...inline];
      while (i + 1 < argv.length && !argv[i + 1].startsWith('-') && (vals.length === 0 || accept(argv[i + 1]))) {
        vals.push(argv[++i]);
      }
      return vals;
    };
    if (flag === '--feature-gen') featureGen.push(take((t) => t === '_' || featureNames.includes(t)));
    else if (flag === '--config-gen') configGen.push(take((t) => t.includes('=') || t === '_'));
    else if (flag === '-c' || flag === '--config') config.push(...take((t) => t.includes('=')));
    else out.push(a);
  }
  return { argv: out, featureGen, configGen, config };
}
