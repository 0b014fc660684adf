// Several generator axes (--config-gen2..9, --feature-gen2..9) multiply; variants equal to the
// default keep their key in the report's Config.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractGenGroups } from '../../src/cli/argv.js';
import { loadEnvironment } from '../../src/flow/environment.js';
import { expandRuns, genAxes, type FlowRequest } from '../../src/flow/matrix.js';
import { Registry } from '../../src/flow/registry.js';
import { shownConfig } from '../../src/flow/run.js';
import { ConfigView } from '../../src/core/config.js';

const vocabulary = { featureNames: ['validate', 'profile'], componentNames: ['mlif'] };

describe('generator axes on the command line', () => {
  it('numbers open further axes; occurrences of one flag are its variants', () => {
    const g = extractGenGroups(
      ['flow', 'run', 'aww', '--config-gen2', 'mlif.toolchain=gcc', '--config-gen', 'mlif.optimize=3', '--config-gen', 'mlif.optimize', 's',
        '--config-gen2=mlif.toolchain=llvm', '--feature-gen3', 'validate', '--feature-gen3', '_'],
      vocabulary,
    );
    expect(g.configGen).toEqual([[['mlif.optimize=3'], ['mlif.optimize=s']], [['mlif.toolchain=gcc'], ['mlif.toolchain=llvm']]]);
    expect(g.featureGen).toEqual([[['validate'], ['_']]]);
    expect(g.argv).toEqual(['flow', 'run', 'aww']);
  });
});

describe('expanding axes', () => {
  const home = mkdtempSync(join(tmpdir(), 'mlb-axes-'));
  const model = join(home, 'm.tflite');
  writeFileSync(model, '');
  const env = loadEnvironment(home);
  const request = (extra: Partial<FlowRequest>): FlowRequest => ({
    until: 'load', models: [model], backends: [], targets: [], platforms: [], features: [], config: [], featureGen: [], configGen: [], ...extra,
  });

  it('multiplies the axes, later axes winning on a shared key, and records every key set', () => {
    const runs = expandRuns(
      request({
        config: ['mlif.optimize=3', 'mlif.lto=1'],
        configGen: [[['mlif.optimize=3'], ['mlif.optimize=s']], [['mlif.toolchain=gcc'], ['mlif.toolchain=llvm', 'mlif.optimize=2']]],
        featureGen: [[['_'], ['validate']], [['profile']]],
      }),
      env,
      new Registry(),
    );
    expect(runs).toHaveLength(8);
    const cells = runs.map((r) => `${r.features.join('+')}|${r.config['mlif.optimize']}|${r.config['mlif.toolchain']}`);
    expect(cells).toEqual([
      'profile|3|gcc', 'profile|2|llvm', 'profile|s|gcc', 'profile|2|llvm',
      'validate+profile|3|gcc', 'validate+profile|2|llvm', 'validate+profile|s|gcc', 'validate+profile|2|llvm',
    ]);
    expect(runs[0].configSet).toEqual(['mlif.optimize', 'mlif.lto', 'mlif.toolchain']);
  });

  it('reads the single-axis shape of sessions written before axes', () => {
    expect(genAxes([['mlif.optimize=3'], ['mlif.optimize=s']])).toEqual([[['mlif.optimize=3'], ['mlif.optimize=s']]]);
    expect(genAxes([[]])).toEqual([[[]]]);
    const runs = expandRuns(request({ configGen: [['mlif.optimize=3'], ['mlif.optimize=s']] }), env, new Registry());
    expect(runs.map((r) => r.config['mlif.optimize'])).toEqual(['3', 's']);
  });

  it('runs without -c or variants carry no configSet (their spec is as before)', () => {
    expect(expandRuns(request({}), env, new Registry())[0]).not.toHaveProperty('configSet');
  });
});

describe("the report's Config", () => {
  it('shows a variant equal to the default, so --config-gen mlif.optimize=3 is not an empty cell', () => {
    const home = mkdtempSync(join(tmpdir(), 'mlb-cfg-'));
    const model = join(home, 'm.tflite');
    writeFileSync(model, '');
    const registry = new Registry();
    const req: FlowRequest = {
      until: 'load', models: [model], backends: [], targets: [], platforms: [], features: [], config: ['mlif.debug=false'],
      featureGen: [], configGen: [[['mlif.optimize=3'], ['mlif.optimize=s']]],
    };
    const cells = expandRuns(req, loadEnvironment(home), registry).map((spec) => {
      const nonDefault = new ConfigView(spec.config, registry.schema()).nonDefault();
      return shownConfig(spec, nonDefault);
    });
    expect(cells).toEqual([{ 'mlif.debug': false, 'mlif.optimize': '3' }, { 'mlif.debug': false, 'mlif.optimize': 's' }]);
  });
});
