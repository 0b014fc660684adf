// MLF handling: metadata.json v7 as TVM 0.17 writes it, and extraction that refuses members
// escaping the run directory (crafted archives: `../x`, an absolute path, a symlink).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { arenaFor } from '../../src/backends/tvm/build.js';
import { escapingMemberReason, extractMlf, parseMlfMetadata, sanitizeTvmName } from '../../src/frameworks/tvm/mlf.js';
import { tarball } from '../helpers/ustar.js';

const METADATA_V7 = {
  version: 7,
  modules: {
    default: {
      model_name: 'default',
      export_datetime: '2024-01-01 00:00:00Z',
      executors: ['aot'],
      style: 'full-model',
      target: ['c -keys=cpu -model=etiss-rv32gc'],
      memory: {
        functions: {
          main: [
            {
              device: 1,
              workspace_size_bytes: 12345,
              constants_size_bytes: 678,
              io_size_bytes: 502,
              inputs: { input_1: { size: 490, dtype: 'int8' } },
              outputs: { Identity: { size: 12, dtype: 'int8' } },
            },
          ],
          operator_functions: [
            { function_name: 'tvmgen_default_fused_nn_conv2d', workspace: [{ device: 1, workspace_size_bytes: 1024 }] },
            { function_name: 'tvmgen_default_fused_nn_softmax', workspace: [{ device: 1, workspace_size_bytes: 2048 }] },
          ],
        },
      },
      external_dependencies: [{ short_name: 'tvm_standalone_crt', url: './runtime', url_type: 'mlf_path', version_spec: '0.17.0' }],
    },
  },
};

describe('parseMlfMetadata (v7)', () => {
  it('reads the documented figures', () => {
    const m = parseMlfMetadata(JSON.stringify(METADATA_V7));
    expect(m).toEqual({
      version: 7,
      executor: 'aot',
      workspaceBytes: 12345,
      constantsBytes: 678,
      ioBytes: 502,
      maxOperatorWorkspaceBytes: 2048,
      inputs: [{ name: 'input_1', size: 490, dtype: 'int8' }],
      outputs: [{ name: 'Identity', size: 12, dtype: 'int8' }],
      target: ['c -keys=cpu -model=etiss-rv32gc'],
      crtVersion: '0.17.0',
    });
  });

  it('gives the report its arena per backend', () => {
    const m = parseMlfMetadata(JSON.stringify(METADATA_V7));
    expect(arenaFor('tvmaot', m, null)).toEqual({ arenaBytes: 12345, workspaceBytes: 12345 });
    expect(arenaFor('tvmaot', m, 20000)).toEqual({ arenaBytes: 20000, workspaceBytes: 20000 });
    expect(arenaFor('tvmaotplus', m, null)).toEqual({ arenaBytes: 12345, workspaceBytes: 0 });
    // tvmrt: the arena computed from the graph unless configured.
    expect(arenaFor('tvmrt', m, null, 106920)).toEqual({ arenaBytes: 106920, workspaceBytes: 106920 });
    expect(arenaFor('tvmrt', m, 50000, 106920)).toEqual({ arenaBytes: 50000, workspaceBytes: 50000 });
  });

  it('reads a graph-executor module with sids', () => {
    const graph = structuredClone(METADATA_V7) as typeof METADATA_V7 & { modules: { default: { memory: { sids?: unknown } } } };
    graph.modules.default.executors = ['graph'];
    graph.modules.default.memory.sids = [{ storage_id: 0, size_bytes: 490, input_binding: 'input_1' }];
    expect(parseMlfMetadata(JSON.stringify(graph)).executor).toBe('graph');
  });

  it('refuses other versions and broken files with the reason', () => {
    expect(() => parseMlfMetadata(JSON.stringify({ ...METADATA_V7, version: 5 }))).toThrow(/version 5 is not supported/);
    expect(() => parseMlfMetadata('{"version": 7')).toThrow(/not JSON/);
    const noMain = structuredClone(METADATA_V7) as unknown as { modules: { default: { memory: { functions: { main: unknown[] } } } } };
    noMain.modules.default.memory.functions.main = [];
    expect(() => parseMlfMetadata(JSON.stringify(noMain))).toThrow(/modules\.default\.memory\.functions\.main/);
  });

  it('sanitizes tensor names as TVM does for the C interface', () => {
    expect(sanitizeTvmName('serving_default_input_1:0')).toBe('serving_default_input_1_0');
  });
});

describe('extractMlf', () => {
  it('unpacks a well-formed MLF (members start with ./)', async () => {
    const file = tarball([
      { name: './metadata.json', data: JSON.stringify(METADATA_V7) },
      { name: './codegen/host/src/default_lib0.c', data: 'int x;\n' },
    ]);
    const dir = join(mkdtempSync(join(tmpdir(), 'mlb-run-')), 'mlf');
    const members = await extractMlf(file, dir);
    expect(members).toEqual(['./metadata.json', './codegen/host/src/default_lib0.c']);
    expect(readFileSync(join(dir, 'codegen/host/src/default_lib0.c'), 'utf8')).toBe('int x;\n');
  });

  it.each([
    ['../x', 'leaves the directory'],
    ['./codegen/../../x', 'leaves the directory'],
    ['/tmp/mlbench-escape-abs', 'absolute path'],
  ])('refuses the whole archive when a member is %s', async (name, why) => {
    const file = tarball([
      { name: './metadata.json', data: '{}' },
      { name, data: 'pwned' },
    ]);
    const runDir = mkdtempSync(join(tmpdir(), 'mlb-run-'));
    const dir = join(runDir, 'mlf');
    const err = await extractMlf(file, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlbenchError);
    expect((err as MlbenchError).message).toContain(`${name} (${why})`);
    expect(existsSync(join(dir, 'metadata.json'))).toBe(false);
    expect(existsSync(join(runDir, 'x'))).toBe(false);
    expect(existsSync('/tmp/mlbench-escape-abs')).toBe(false);
  });

  it('refuses a symlink pointing outside', async () => {
    const file = tarball([{ name: './runtime', symlink: '../../etc' }]);
    const err = await extractMlf(file, join(mkdtempSync(join(tmpdir(), 'mlb-run-')), 'mlf')).catch((e: unknown) => e);
    expect((err as Error).message).toContain('./runtime -> ../../etc (link leaves the directory)');
  });

  it('classifies member names', () => {
    expect(escapingMemberReason('./a/b.c')).toBeUndefined();
    expect(escapingMemberReason('a/../b')).toBeUndefined();
    expect(escapingMemberReason('a/../../b')).toBe('leaves the directory');
    expect(escapingMemberReason('C:\\x')).toBe('absolute path');
  });
});
