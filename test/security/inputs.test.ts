// Foreign input files that are not session folders: a model's definition.yml, an MLF tarball
// with a two-step symlink chain, and an environment file (config values of the wrong type,
// configured folders outside the home or in system folders).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/core/artifacts.js';
import { MlbenchError } from '../../src/core/errors.js';
import { initHome, loadEnvironment } from '../../src/flow/environment.js';
import { expandRuns, type FlowRequest } from '../../src/flow/matrix.js';
import { Registry } from '../../src/flow/registry.js';
import { extractMlf } from '../../src/frameworks/tvm/mlf.js';
import { findReference } from '../../src/frontends/tflite/reference.js';
import { tarball } from '../helpers/ustar.js';

const fresh = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));
const caught = async (f: () => unknown): Promise<unknown> => {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('definition.yml of a model', () => {
  const summary = { inputs: [{ name: 'x', shape: [1], dtype: 'int8' }], outputs: [{ name: 'y', shape: [1], dtype: 'int8' }] } as unknown as ModelSummary;
  const modelWith = (yaml: string): string => {
    const dir = fresh('mlb-model-');
    mkdirSync(join(dir, 'input'));
    writeFileSync(join(dir, 'input', '0.bin'), Buffer.from([1]));
    writeFileSync(join(dir, 'definition.yml'), yaml);
    return dir;
  };

  it.each([
    ['network_parameters:\n  output_nodes: "Identity"\n', 'network_parameters.output_nodes'],
    ['network_parameters:\n  output_nodes: {test_output_path: ./out}\n', 'network_parameters.output_nodes'],
    ['network_parameters:\n  input_nodes: [3]\n', 'network_parameters.input_nodes.0'],
    ['network_parameters:\n  input_nodes:\n  - example_input: {path: 7}\n', 'network_parameters.input_nodes.0.example_input.path'],
    ['network_parameters: [1, 2]\n', 'network_parameters'],
  ])('a wrong type is a clean error naming the file and the key: %j', (yaml, key) => {
    const dir = modelWith(yaml);
    const err = (() => {
      try {
        findReference(dir, summary);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).message.startsWith(`${join(dir, 'definition.yml')}: ${key}: `)).toBe(true);
  });

  it('data folders named by definition.yml stay inside the model folder', () => {
    const dir = modelWith('network_parameters:\n  input_nodes:\n  - example_input: {path: ../../../etc}\n');
    expect(() => findReference(dir, summary)).toThrow(/example_input.path "..\/..\/..\/etc" leaves/);
    const linked = modelWith('network_parameters:\n  output_nodes:\n  - test_output_path: ./out\n');
    symlinkSync(fresh('mlb-elsewhere-'), join(linked, 'out'));
    expect(() => findReference(linked, summary)).toThrow(/test_output_path .*out leads outside/);
  });

  it('the real layout still reads', () => {
    const dir = modelWith('network_parameters:\n  input_nodes:\n  - example_input: {path: ./input/}\n    name: x\n  output_nodes:\n  - name: y\n');
    expect(findReference(dir, summary).vectors.map((v) => v.index)).toEqual([0]);
  });
});

describe('MLF tarball', () => {
  it('a two-step symlink chain is refused before anything is extracted', async () => {
    // Each link alone looks inside (d/l1 -> .. is the root; d/l1/l2 -> .. seems to be d), but
    // together d/l1/l2 is the folder above the extraction directory.
    const file = tarball([
      { name: './metadata.json', data: '{}' },
      { name: './d/', data: '' },
      { name: './d/l1', symlink: '..' },
      { name: './d/l1/l2', symlink: '..' },
      { name: './d/l1/l2/pwned', data: 'pwned' },
    ]);
    const runDir = fresh('mlb-run-');
    const dir = join(runDir, 'build', 'mlf');
    mkdirSync(dirname(dir), { recursive: true });
    const err = await caught(() => extractMlf(file, dir));
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).message).toContain('./d/l1 -> .. (a link), ./d/l1/l2 -> .. (a link)');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(join(runDir, 'build'))).toEqual([]);
    expect(existsSync(join(runDir, 'build', 'pwned'))).toBe(false);
  });
});

describe('environment file', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const homeWith = (yaml: string): string => {
    const home = fresh('mlb-home-');
    writeFileSync(join(home, 'environment.yml'), yaml);
    return home;
  };
  const request: FlowRequest = {
    until: 'load',
    models: [join(fresh('mlb-m-'), 'x.tflite')],
    backends: [],
    targets: [],
    platforms: [],
    features: [],
    config: [],
    featureGen: [],
    configGen: [],
  };
  writeFileSync(request.models[0], '');

  it.each([
    ['mlif.timeout: true', 'invalid value true for mlif.timeout: expected an integer'],
    ['mlif.timeout: 1.5', 'invalid value 1.5 for mlif.timeout: expected an integer'],
    ['mlif.timeout: ""', 'invalid value "" for mlif.timeout: expected an integer'],
    ['mlif.timeout: [1]', 'invalid value [1] for mlif.timeout: expected a single value'],
    ['mlif.debug: 2', 'invalid value 2 for mlif.debug: expected true/false'],
    ['mlif.optimize: {level: 2}', 'invalid value {"level":2} for mlif.optimize: expected a single value'],
  ])('config value %j is refused exactly as on the command line', (line, message) => {
    const env = loadEnvironment(homeWith(`config:\n  ${line}\n`));
    expect(() => expandRuns(request, env, new Registry())).toThrow(message);
  });

  it('accepts YAML numbers and booleans that are valid values', () => {
    const env = loadEnvironment(homeWith('config:\n  mlif.timeout: 30\n  mlif.optimize: 2\n  mlif.debug: true\n'));
    expect(expandRuns(request, env, new Registry())[0].config).toEqual({ 'mlif.timeout': 30, 'mlif.optimize': '2', 'mlif.debug': true });
  });

  it.each([
    ['paths: {sessions: /etc}', 'paths.sessions /etc is in the system folder /etc'],
    ['paths: {cache: /proc/self}', 'paths.cache /proc/self is in the system folder /proc'],
    ['paths: {sessions: ../elsewhere}', 'is outside the home'],
    ['paths: {cache: /tmp}', 'paths.cache /tmp is outside the home'],
    ['paths: {models: [/dev]}', 'model folder /dev is in the system folder /dev'],
    ['models_repo: {url: x, ref: --upload-pack=touch /tmp/x}', 'models_repo.ref: must not start with "-"'],
  ])('refuses %j', (yaml, message) => {
    const home = homeWith(`${yaml}\n`);
    const err = (() => {
      try {
        loadEnvironment(home);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).message).toContain(message);
    expect(existsSync('/etc/1')).toBe(false);
  });

  it('a configured folder that is a link out of the home is refused; the user may still choose one by variable', () => {
    const home = homeWith('paths: {sessions: runs-here}\n');
    const elsewhere = fresh('mlb-elsewhere-');
    symlinkSync(elsewhere, join(home, 'runs-here'));
    expect(() => loadEnvironment(home)).toThrow(/paths.sessions .*runs-here leads outside/);
    process.env.MLBENCH_SESSIONS_DIR = elsewhere;
    expect(loadEnvironment(home).sessionsDir).toBe(elsewhere);
    process.env.MLBENCH_SESSIONS_DIR = '/etc/mlbench';
    expect(() => loadEnvironment(home)).toThrow(/MLBENCH_SESSIONS_DIR \/etc\/mlbench is in the system folder \/etc/);
    expect(() => loadEnvironment('/')).toThrow(/the mlbench home \/ is the root folder/);
  });

  it('names the file that stands where the home or a folder above it should be', () => {
    const file = join(fresh('mlb-file-'), 'home');
    writeFileSync(file, 'not a folder');
    expect(() => loadEnvironment(file)).toThrow(new RegExp(`the mlbench home ${file} cannot be used: ${file} is a file, not a folder`));
    expect(() => initHome(join(file, 'sub'))).toThrow(new RegExp(`${file} is a file, not a folder`));
  });
});
