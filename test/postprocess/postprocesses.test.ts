import { describe, expect, it } from 'vitest';
import { MlbenchError } from '../../src/core/errors.js';
import { applyPostprocesses, splitPostprocessConfig } from '../../src/postprocess/index.js';
import { sweep } from './fixtures.js';

const apply = (names: string[], config: Record<string, string> = {}) => applyPostprocesses(sweep(), names, config, '/nonexistent');

async function errorOf(p: Promise<unknown>): Promise<MlbenchError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(MlbenchError);
  return e as MlbenchError;
}

describe('filter_cols', () => {
  it('keeps columns by name and pattern, in report order', async () => {
    const rows = await apply(['filter_cols'], { 'filter_cols.keep': 'Model,Backend,RAM *' });
    expect(rows[0]).toEqual({ Model: 'aww', Backend: 'mlbaot', 'RAM Total': 2000 });
    expect(rows).toHaveLength(4);
  });
  it('drops columns', async () => {
    const rows = await apply(['filter_cols'], { 'filter_cols.drop': 'Session,Frontend,Framework,Platform,*Stage,Reason,Build s' });
    expect(Object.keys(rows[0])).toEqual(['Run', 'Model', 'Backend', 'Target', 'Features', 'Config', 'Status', 'Run Instructions', 'ROM Total', 'RAM Total', 'Validation']);
  });
  it('names the closest column for an unknown one', async () => {
    const e = await errorOf(apply(['filter_cols'], { 'filter_cols.keep': 'Run Instruction' }));
    expect(e.message).toBe('filter_cols.keep: unknown column "Run Instruction"');
    expect(e.hint).toBe('did you mean "Run Instructions"?');
  });
});

describe('rename_cols', () => {
  it('renames and keeps the values', async () => {
    const rows = await apply(['rename_cols'], { 'rename_cols.mapping': 'Run Instructions=Instr,ROM Total=ROM' });
    expect(rows[1].Instr).toBe(1500);
    expect(rows[1].ROM).toBe(9000);
    expect('Run Instructions' in rows[1]).toBe(false);
  });
  it('rejects a pair without =', async () => {
    const e = await errorOf(apply(['rename_cols'], { 'rename_cols.mapping': 'Run Instructions' }));
    expect(e.message).toBe('rename_cols.mapping: expected OLD=NEW, got "Run Instructions"');
  });
});

describe('filter_rows', () => {
  it('matches alternatives and negation', async () => {
    const rows = await apply(['filter_rows'], { 'filter_rows.where': 'Model=aww|vww,Status!=failed' });
    expect(rows.map((r) => r.Run)).toEqual(['0', '1', '2']);
  });
  it('numeric comparisons never match an unmeasured cell', async () => {
    const rows = await apply(['filter_rows'], { 'filter_rows.where': 'RAM Total<3000' });
    expect(rows.map((r) => r.Run)).toEqual(['0']);
    const le = await apply(['filter_rows'], { 'filter_rows.where': 'RAM Total<=3000' });
    expect(le.map((r) => r.Run)).toEqual(['0', '1']);
  });
  it('rejects a comparison with text', async () => {
    const e = await errorOf(apply(['filter_rows'], { 'filter_rows.where': 'RAM Total>big' }));
    expect(e.message).toBe('filter_rows.where: "RAM Total>big" compares with a non-number');
  });
});

describe('compare_rows', () => {
  it('adds columns relative to the baseline backend, empty when not measured', async () => {
    const rows = await apply(['compare_rows'], { 'compare_rows.baseline': 'mlbaot' });
    expect(rows.map((r) => r['Run Instructions (rel. mlbaot)'])).toEqual([1, 1.5, 1, '']);
    expect(rows.map((r) => r['ROM Total (rel. mlbaot)'])).toEqual([1, 1.8, 1, '']);
    expect(rows.map((r) => r['RAM Total (rel. mlbaot)'])).toEqual([1, 1.5, 1, '']);
  });
  it('uses another baseline and metric set', async () => {
    const rows = await apply(['compare_rows'], { 'compare_rows.baseline': 'tflmi', 'compare_rows.metrics': 'Run Instructions' });
    expect(rows.map((r) => r['Run Instructions (rel. tflmi)'])).toEqual([0.6667, 1, '', '']);
    expect('ROM Total (rel. tflmi)' in rows[0]).toBe(false);
  });
  it('names the closest value for an unknown baseline', async () => {
    const e = await errorOf(apply(['compare_rows'], { 'compare_rows.baseline': 'mlbot' }));
    expect(e.message).toBe('baseline "mlbot" does not occur in column Backend');
    expect(e.hint).toBe('did you mean "mlbaot"?');
  });
});

describe('the registry', () => {
  it('runs postprocesses in the order named', async () => {
    const rows = await apply(['compare_rows', 'filter_cols'], { 'filter_cols.keep': 'Model,*(rel. mlbaot)', 'compare_rows.metrics': 'ROM Total' });
    expect(rows[1]).toEqual({ Model: 'aww', 'ROM Total (rel. mlbaot)': 1.8 });
  });
  it('rejects an unknown postprocess with the closest name', async () => {
    const e = await errorOf(apply(['filter_col']));
    expect(e.message).toBe('unknown postprocess filter_col');
    expect(e.hint).toBe('did you mean filter_cols?');
  });
  it('rejects an unknown key and a key of a postprocess not selected, before running any', async () => {
    const unknown = await errorOf(apply(['filter_rows'], { 'filter_rows.wher': 'Model=aww' }));
    expect(unknown.message).toBe('unknown postprocess config key filter_rows.wher');
    expect(unknown.hint).toBe('did you mean filter_rows.where?');
    const unselected = await errorOf(apply(['filter_rows'], { 'visualize.file': 'x.html' }));
    expect(unselected.message).toBe('visualize.file is set but postprocess visualize is not selected');
    expect(unselected.hint).toBe('add --postprocess visualize');
  });
  it('does not mutate the rows it is given', async () => {
    const rows = sweep();
    await applyPostprocesses(rows, ['compare_rows', 'rename_cols'], { 'rename_cols.mapping': 'Model=Net' }, '/nonexistent');
    expect(rows).toEqual(sweep());
  });
  it('splits postprocess keys from component config', () => {
    expect(splitPostprocessConfig(['mlif.optimize=s', 'filter_cols.keep=Model', 'export.file=/tmp/x.tar.gz'])).toEqual({
      postprocess: { 'filter_cols.keep': 'Model', 'export.file': '/tmp/x.tar.gz' },
      rest: ['mlif.optimize=s'],
    });
  });
});
