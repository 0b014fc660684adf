import { describe, expect, it } from 'vitest';
import { ConfigView, convertValue, schemaOf, validateConfig } from '../../src/core/config.js';
import { MlbenchError } from '../../src/core/errors.js';
import { extractGenGroups } from '../../src/cli/argv.js';

const components = [
  {
    name: 'mlif',
    config: [
      { key: 'optimize', type: 'enum' as const, default: '3', choices: ['0', '1', '2', '3', 's'], help: 'optimisation level' },
      { key: 'num_runs', type: 'int' as const, default: 1, min: 1, help: 'inferences' },
      { key: 'debug', type: 'bool' as const, default: false, help: 'debug build' },
    ],
  },
];
const schema = schemaOf(components);

describe('config', () => {
  it('converts and validates values before any run', () => {
    expect(validateConfig(schema, { 'mlif.optimize': 's', 'mlif.num_runs': '10', 'mlif.debug': 'yes' })).toEqual({
      'mlif.optimize': 's',
      'mlif.num_runs': 10,
      'mlif.debug': true,
    });
  });

  it('names the closest key for a typo', () => {
    try {
      validateConfig(schema, { 'mlif.optimise': '2' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MlbenchError);
      expect((e as MlbenchError).describe()).toBe('unknown config key mlif.optimise (did you mean mlif.optimize?)');
    }
  });

  it('rejects bad values with the allowed ones', () => {
    expect(() => validateConfig(schema, { 'mlif.optimize': '4' })).toThrow(/expected one of 0, 1, 2, 3, s/);
    expect(() => validateConfig(schema, { 'mlif.num_runs': '0' })).toThrow(/must be >= 1/);
    expect(() => validateConfig(schema, { 'mlif.num_runs': 'x' })).toThrow(/expected an integer/);
    expect(() => convertValue('mlif.debug', components[0].config[2], 'maybe')).toThrow(/true\/false/);
  });

  it('reports only non-default keys', () => {
    const v = new ConfigView({ 'mlif.optimize': '3', 'mlif.num_runs': 5 }, schema);
    expect(v.nonDefault()).toEqual({ 'mlif.num_runs': 5 });
    expect(v.str('mlif.optimize')).toBe('3');
    expect(v.bool('mlif.debug')).toBe(false);
  });
});

describe('generator options', () => {
  const vocabulary = { featureNames: ['validate', 'profile'], componentNames: ['mlif', 'a', 'b', 'x'] };
  it('takes one variant per occurrence and keeps positional models apart', () => {
    const g = extractGenGroups(
      ['flow', 'run', '--feature-gen', '_', '--feature-gen', 'validate', '--config-gen', 'a.x=1', 'b.y=2', 'aww', '-c', 'mlif.optimize=s', 'vww'],
      vocabulary,
    );
    expect(g.featureGen).toEqual([['_'], ['validate']]);
    expect(g.configGen).toEqual([['a.x=1', 'b.y=2']]);
    expect(g.config).toEqual(['mlif.optimize=s']);
    expect(g.argv).toEqual(['flow', 'run', 'aww', 'vww']);
  });

  it('accepts --opt=value forms', () => {
    const g = extractGenGroups(['--home', 'h', 'flow', '--config-gen=mlif.optimize=2', '--config=x.y=1'], vocabulary);
    expect(g.configGen).toEqual([['mlif.optimize=2']]);
    expect(g.config).toEqual(['x.y=1']);
  });

  it('takes `-c key value` and several assignments after one -c, as MLonMCU users type them', () => {
    const g = extractGenGroups(['flow', 'run', 'aww', '-c', 'mlif.optimize', '2', 'mlif.lto=1', 'model.tflite'], vocabulary);
    expect(g.config).toEqual(['mlif.optimize=2', 'mlif.lto=1']);
    expect(g.argv).toEqual(['flow', 'run', 'aww', 'model.tflite']);
  });

  it('leaves the argv of other commands alone (env --config is a flag of its own)', () => {
    const g = extractGenGroups(['env', '--config'], vocabulary);
    expect(g.argv).toEqual(['env', '--config']);
    expect(g.config).toEqual([]);
  });
});
