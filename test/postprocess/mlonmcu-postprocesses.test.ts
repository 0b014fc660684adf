// config2cols, features2cols, bytes2kb, stage_times, mlonmcu_columns and analyse_linker_map, the
// last on maps written by the real GNU ld and lld.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPostprocesses } from '../../src/postprocess/index.js';
import { footprint, parseLinkerMap } from '../../src/postprocess/linker-map.js';
import { run, sweep } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mlbench-pp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const apply = (names: string[], config: Record<string, string> = {}) => applyPostprocesses(sweep(), names, config, dir);

describe('config2cols and features2cols', () => {
  const rows = [
    run('0', 'aww', 'mlbaot', {}, { Config: 'mlif.optimize=3 mlif.toolchain=gcc', Features: 'validate' }),
    run('1', 'aww', 'mlbaot', {}, { Config: 'mlif.optimize=s mlif.extra_cflags=-fno-unroll-loops,-g', Features: 'validate profile' }),
  ];
  it('one column per key, after Config; empty where a run kept the default', async () => {
    const out = await applyPostprocesses(rows, ['config2cols', 'features2cols'], { 'config2cols.drop': 'true' }, dir);
    expect(Object.keys(out[0]).filter((k) => k.startsWith('config_') || k.startsWith('feature_') || k === 'Config')).toEqual([
      'feature_profile',
      'feature_validate',
      'config_mlif.extra_cflags',
      'config_mlif.optimize',
      'config_mlif.toolchain',
    ]);
    expect(out.map((r) => [r['config_mlif.optimize'], r['config_mlif.toolchain'], r['config_mlif.extra_cflags'], r.feature_profile, r.feature_validate])).toEqual([
      ['3', 'gcc', '', 'false', 'true'],
      ['s', '', '-fno-unroll-loops,-g', 'true', 'true'],
    ]);
  });
  it('limit picks keys', async () => {
    const out = await applyPostprocesses(rows, ['config2cols'], { 'config2cols.limit': 'mlif.toolchain' }, dir);
    expect(Object.keys(out[1]).filter((k) => k.startsWith('config_'))).toEqual(['config_mlif.toolchain']);
    expect(out[1].Config).toBe(rows[1].Config);
  });
});

describe('bytes2kb', () => {
  it('ROM/RAM columns in kB with the unit in the name; empty stays empty', async () => {
    const out = await apply(['bytes2kb']);
    expect(out.map((r) => [r['ROM Total [kB]'], r['RAM Total [kB]']])).toEqual([
      [5, 2],
      [9, 3],
      [20, 8],
      ['', ''],
    ]);
    expect('ROM Total' in out[0]).toBe(false);
    const kib = await applyPostprocesses([run('0', 'x', 'mlbaot', { 'RAM Total': 1536 })], ['bytes2kb'], { 'bytes2kb.divisor': '1024' }, dir);
    expect(kib[0]['RAM Total [KiB]']).toBe(1.5);
  });
});

describe('mlonmcu_columns', () => {
  it('MLonMCU names and totals: no .data image in Total ROM, no stack/heap in Total RAM', async () => {
    const row = run('0', 'aww', 'mlbaot', {
      'ROM Total': 1124, 'ROM Code': 600, 'ROM Read-only': 500, 'ROM Data': 24,
      'RAM Total': 2924, 'RAM Data': 24, 'RAM BSS': 852, 'RAM Stack': 2048, 'RAM Heap': 0, 'Model Arena': 768,
    });
    const failed = run('1', 'aww', 'tflmi', {}, { Status: 'failed', Reason: 'x' });
    const [ok, bad] = await applyPostprocesses([row, failed], ['mlonmcu_columns'], {}, dir);
    expect(ok).toMatchObject({ 'Total ROM': 1100, 'ROM code': 600, 'ROM read-only': 500, 'Total RAM': 876, 'RAM data': 24, 'RAM zero-init data': 852, 'Workspace Size [B]': 768, Failing: 'False' });
    expect(Object.keys(ok)).not.toContain('ROM Total');
    expect(Object.keys(ok)).not.toContain('Status');
    expect(bad).toMatchObject({ Failing: 'True', Reason: 'x' });
    expect('Total ROM' in bad).toBe(false); // not measured: no total either
    const [kept] = await applyPostprocesses([row], ['mlonmcu_columns'], { 'mlonmcu_columns.keep': 'true' }, dir);
    expect(kept).toMatchObject({ 'ROM Total': 1124, 'Total ROM': 1100, Status: 'ok' });
  });
});

describe('stage_times', () => {
  it('reads each run’s result.json into "<Stage> Stage Time [s]" columns', async () => {
    mkdirSync(join(dir, 'runs', '0'), { recursive: true });
    writeFileSync(join(dir, 'runs', '0', 'result.json'), JSON.stringify({ stageSeconds: { load: 0.123, build: 1.5, compile: 2.25, run: 0.5 } }));
    const out = await apply(['stage_times']);
    expect(out[0]).toMatchObject({ 'Load Stage Time [s]': 0.12, 'Build Stage Time [s]': 1.5, 'Compile Stage Time [s]': 2.25, 'Run Stage Time [s]': 0.5 });
    expect('Tune Stage Time [s]' in out[0]).toBe(false);
    expect('Load Stage Time [s]' in out[1]).toBe(false); // no result.json
  });
  it('a Run cell that would leave runs/ is refused', async () => {
    await expect(applyPostprocesses([run('../x', 'aww', 'mlbaot', {})], ['stage_times'], {}, dir)).rejects.toThrow(/path separator/);
  });
});

const PROGRAM = `
const unsigned char big_table[4096] = {1};
static const unsigned char small_table[64] = {2};
unsigned int zeros[100];
int counter = 7;
int main(int argc, char **argv) { (void)argv; zeros[argc] = argc; return big_table[argc] + small_table[argc & 63] + (int)zeros[argc % 100] + counter; }
`;

function link(tool: string[], name: string): string | undefined {
  try {
    execaSync(tool[0], ['--version']);
  } catch {
    return undefined;
  }
  const c = join(dir, `${name}.c`);
  writeFileSync(c, PROGRAM);
  const map = join(dir, `${name}.map`);
  const obj = join(dir, `${name}.o`);
  // Compiled, then linked: the map names the object file, not a temporary one.
  execaSync(tool[0], ['-O1', '-ffunction-sections', '-fdata-sections', '-c', c, '-o', obj]);
  execaSync(tool[0], [...tool.slice(1), '-Wl,--gc-sections', `-Wl,-Map=${map}`, obj, '-o', join(dir, `${name}.elf`)]);
  return readFileSync(map, 'utf8');
}

describe('analyse_linker_map', () => {
  for (const [name, tool] of [
    ['GNU ld', ['gcc']],
    ['lld', ['clang-15', '-fuse-ld=lld-16']],
  ] as const) {
    it(`reads a map written by ${name}: each array with its size and memory`, (ctx) => {
      const text = link([...tool], name.replace(/\W/g, ''));
      if (!text) {
        console.log(`skipped: ${tool[0]} is not installed`);
        ctx.skip();
        return;
      }
      const entries = parseLinkerMap(text);
      const of = (symbol: string) => entries.filter((e) => e.symbol === symbol).map((e) => [e.memory, e.bytes, e.object]);
      const obj = `${name.replace(/\W/g, '')}.o`;
      expect(of('big_table')).toEqual([['ROM', 4096, obj]]);
      expect(of('small_table')).toEqual([['ROM', 64, obj]]);
      expect(of('zeros')).toEqual([['RAM', 400, obj]]);
      expect(of('counter')).toEqual([['ROM+RAM', 4, obj]]);
      expect(footprint(entries, 'ROM', 'symbol')[0]).toEqual(['big_table', 4096]);
      expect(footprint(entries, 'RAM', 'symbol')[0]).toEqual(['zeros', 400]);
    });
  }

  it('names the largest symbols in the report and writes linker_map.csv', async (ctx) => {
    const text = link(['gcc'], 'report');
    if (!text) return ctx.skip();
    mkdirSync(join(dir, 'runs', '0', 'compile'), { recursive: true });
    writeFileSync(join(dir, 'runs', '0', 'compile', 'program.map'), text);
    const out = await apply(['analyse_linker_map'], { 'analyse_linker_map.top': '1' });
    expect(out[0]['Top ROM Symbols']).toBe('big_table=4096');
    expect(out[0]['Top RAM Symbols']).toBe('zeros=400');
    expect('Top ROM Symbols' in out[1]).toBe(false); // no map: nothing claimed
    const csv = readFileSync(join(dir, 'linker_map.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('Run,Object,Symbol,Section,Output Section,Memory,Bytes');
    expect(csv[1]).toMatch(/^0,report\.o,big_table,\.rodata\.big_table,\.rodata,ROM,4096$/);
  });
});
