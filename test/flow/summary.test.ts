// The table `flow run` prints: what varies between runs, fitted to the terminal's width.
import { describe, expect, it } from 'vitest';
import { extractGenGroups } from '../../src/cli/argv.js';
import { summaryTable } from '../../src/cli/summary.js';
import type { ReportRow } from '../../src/flow/report.js';

const row = (i: number, target: string, config: string, extra: Partial<ReportRow> = {}): ReportRow => ({
  Session: '1', Run: `00${i}-aww-mlbaot-${target}`, Model: 'aww', Framework: 'mlbench', Backend: 'mlbaot', Platform: 'mlif', Target: target,
  Features: 'validate', Config: config, Status: 'ok', 'Setup Instructions': 1234, 'Run Instructions': 12345678, 'ROM Total': 98765, 'RAM Total': 23456,
  'RAM Stack Peak': 912, 'Model Arena': 12288, Validation: 'pass 10/10', 'Top Layer': 'L2 CONV_2D 41%', ...extra,
});

const sweep: ReportRow[] = [
  row(0, 'riscv_qemu', 'mlif.lto=true mlif.optimize=3 mlif.toolchain=gcc'),
  row(1, 'riscv_qemu', 'mlif.lto=true mlif.optimize=3 mlif.toolchain=llvm'),
  row(2, 'cortexm4_qemu', 'mlif.lto=true mlif.optimize=s mlif.toolchain=gcc'),
  row(3, 'cortexm4_qemu', 'mlif.lto=true mlif.optimize=s mlif.toolchain=llvm', { Status: 'failed', 'Run Instructions': '', Validation: '' }),
];

describe('the summary table', () => {
  it('shows the columns that vary and says shared settings once; fits 80 columns', () => {
    const text = summaryTable(sweep, 80);
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toBe(
      [
        'Model: aww',
        'Features of every run: validate',
        'Config of every run: mlif.lto=true',
        '#  Target         Config                     Status  Run Instr  ROM Total',
        '-  -------------  -------------------------  ------  ---------  ---------',
        '0  riscv_qemu     optimize=3 toolchain=gcc   ok       12345678      98765',
        '1  riscv_qemu     optimize=3 toolchain=llvm  ok       12345678      98765',
        '2  cortexm4_qemu  optimize=s toolchain=gcc   ok       12345678      98765',
        '3  cortexm4_qemu  optimize=s toolchain=llvm  failed                 98765',
        '',
      ].join('\n'),
    );
  });

  it('keeps every figure on a wide terminal', () => {
    const header = summaryTable(sweep, 200).split('\n')[3];
    expect(header.split(/\s{2,}/)).toEqual([
      '#', 'Target', 'Config', 'Status', 'Setup Instr', 'Run Instr', 'ROM Total', 'RAM Total', 'Stack Peak', 'Arena', 'Validation', 'Top Layer',
    ]);
  });

  it('clips long text cells when dropping columns is not enough', () => {
    const long = [row(0, 'riscv_qemu', `mlif.extra_cflags=${'-fno-x,'.repeat(20)}-g`), row(1, 'riscv_qemu', 'mlif.optimize=s')];
    const lines = summaryTable(long, 60).trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines.some((l) => l.includes('…'))).toBe(true);
  });
});

describe('bare -j / --parallel', () => {
  const vocabulary = { featureNames: ['validate'], componentNames: ['mlif'] };
  it('alone means all cores and never swallows the model after it', () => {
    expect(extractGenGroups(['flow', 'run', '-j', 'aww'], vocabulary).argv).toEqual(['flow', 'run', '--parallel=all', 'aww']);
    expect(extractGenGroups(['flow', 'run', 'aww', '--parallel'], vocabulary).argv).toEqual(['flow', 'run', 'aww', '--parallel=all']);
    expect(extractGenGroups(['flow', 'run', 'aww', '-j', '2'], vocabulary).argv).toEqual(['flow', 'run', 'aww', '-j', '2']);
    // A bad number is still handed on, to be refused by the option's check.
    expect(extractGenGroups(['flow', 'run', 'aww', '-j', '1.5'], vocabulary).argv).toEqual(['flow', 'run', 'aww', '-j', '1.5']);
  });
});
