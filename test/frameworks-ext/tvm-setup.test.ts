// Choosing the python that runs TVM, and the Debian packages setup installs for it. Real
// interpreters only: the configured-path cases need none, the probe uses this machine's python3.
import { describe, expect, it } from 'vitest';
import { DEBIAN_PACKAGES, TVM_PYTHON_PACKAGES, wantedPackages } from '../../src/cli/setup.js';
import { whichSync } from '../../src/core/which.js';
import { sourceBuildEnvironment } from '../../src/frameworks/tvm/locate.js';
import { choosePython, probePython, pythonCandidates } from '../../src/frameworks/tvm/python.js';
import type { TvmInstallation } from '../../src/frameworks/tvm/locate.js';
import type { TvmcCompileOptions } from '../../src/frameworks/tvm/tvmc-args.js';
import { tvmcCacheKey } from '../../src/backends/tvm/compile-cache.js';
import { tvmBackendDefaults } from '../../src/backends/tvm/defaults.js';

describe('tvm.python', () => {
  it('a configured python is the only candidate, and a missing one is named', async () => {
    expect(pythonCandidates('/opt/nowhere/python3')).toEqual([]);
    const choice = await choosePython('/opt/nowhere/python3', {});
    expect(choice).toEqual({ reasons: ['tvm.python /opt/nowhere/python3 is not an executable'] });
  });

  it('candidates are python3 on PATH then Debian\'s, each interpreter once', () => {
    const list = pythonCandidates(undefined);
    expect(new Set(list).size).toBe(list.length);
    const onPath = whichSync('python3');
    if (onPath) expect(list[0]).toBe(onPath);
  });

  it.skipIf(!whichSync('/usr/bin/python3'))('a python without TVM on its path says which import failed', async () => {
    const p = await probePython('/usr/bin/python3', { PYTHONPATH: '/nonexistent' });
    expect(p.tvm).toBeUndefined();
    expect(p.problem).toMatch(/^(cannot import numpy|cannot import tvm|has numpy \d)/);
  });

  it('PYTHONPATH holds the tree\'s python/ and, when present, python-deps/', () => {
    const env = sourceBuildEnvironment('/nonexistent/tvm', '/nonexistent/tvm/build');
    expect(env.PYTHONPATH.split(':')[0]).toBe('/nonexistent/tvm/python');
    expect(env.PYTHONPATH).not.toContain('python-deps');
    expect(env.TVM_LIBRARY_PATH).toBe('/nonexistent/tvm/build');
  });
});

describe('setup packages for TVM', () => {
  it('--frameworks always, --dev only with a TVM tree configured', () => {
    expect(wantedPackages({}, true)).toEqual(DEBIAN_PACKAGES);
    expect(wantedPackages({ frameworks: true }, false)).toEqual([...DEBIAN_PACKAGES, ...TVM_PYTHON_PACKAGES]);
    expect(wantedPackages({ dev: true }, false)).not.toContain('python3-numpy');
    expect(wantedPackages({ dev: true }, true)).toContain('python3-numpy');
    expect(TVM_PYTHON_PACKAGES).toContain('python3-flatbuffers');
  });
});

describe('tvmc compile cache key and backend defaults', () => {
  const tvm: TvmInstallation = { srcDir: '/t', buildDir: '/t/build', command: 'python3', commandPrefix: [], env: {}, version: '0.17.0', origin: 'x', notes: [] };
  const options = (modelFile: string, outDir: string, mcpu?: string): TvmcCompileOptions => ({
    backend: 'tvmaot',
    modelFile,
    outDir,
    inputShapes: [{ name: 'input_1', shape: [1, 640] }],
    target: { c: mcpu ? [['mcpu', mcpu]] : [] },
  });

  it('ignores where the model and the output live, keeps what changes the code', () => {
    const a = tvmcCacheKey(tvm, options('/run1/load/m.tflite', '/run1/build'), 'abc');
    expect(tvmcCacheKey(tvm, options('/run2/load/m.tflite', '/run2/build'), 'abc')).toEqual(a);
    expect(tvmcCacheKey(tvm, options('/run1/load/m.tflite', '/run1/build'), 'def')).not.toEqual(a);
    expect(tvmcCacheKey(tvm, options('/run1/load/m.tflite', '/run1/build', 'cortex-m4'), 'abc')).not.toEqual(a);
    expect(tvmcCacheKey({ ...tvm, version: '0.18.0' }, options('/run1/load/m.tflite', '/run1/build'), 'abc')).not.toEqual(a);
  });

  it('stack reservations are the measured peaks rounded up to 1 KiB plus 3 KiB; no heap; 46 LSB', () => {
    expect(tvmBackendDefaults('tvmaot')).toEqual({ stackBytes: 8192, heapBytes: 0, validationToleranceLsb: 46 });
    expect(tvmBackendDefaults('tvmaotplus').stackBytes).toBe(7168);
    expect(tvmBackendDefaults('tvmrt').stackBytes).toBe(7168);
  });
});
