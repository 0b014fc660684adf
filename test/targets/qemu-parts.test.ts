// Pure pieces of the QEMU runner and the riscv_qemu target: command-line building and parsing.
import { describe, expect, it } from 'vitest';
import { parseMlifOutput } from '../../src/platforms/mlif/output.js';
import { parsePluginResults } from '../../src/targets/qemu/plugin.js';
import { describeFault, pluginArgument } from '../../src/targets/qemu/runner.js';
import { parseRiscvIsa, riscvCpuOption } from '../../src/targets/riscv_qemu.js';
import { MlbenchError } from '../../src/core/errors.js';

describe('riscv ISA handling', () => {
  it('derives ABI and restricts the CPU to the ISA', () => {
    expect(parseRiscvIsa('rv32imac')).toMatchObject({ march: 'rv32imac', abi: 'ilp32' });
    expect(parseRiscvIsa('rv32gc')).toMatchObject({ march: 'rv32imafdc', abi: 'ilp32d' });
    expect(parseRiscvIsa('rv32imafc')).toMatchObject({ march: 'rv32imafc', abi: 'ilp32f' });
    expect(parseRiscvIsa('rv32im', 'ilp32')).toMatchObject({ abi: 'ilp32' });
    expect(riscvCpuOption(parseRiscvIsa('rv32imac'))).toBe('rv32,m=true,a=true,f=false,d=false,c=true');
    expect(riscvCpuOption(parseRiscvIsa('rv32im'))).toBe('rv32,m=true,a=false,f=false,d=false,c=false');
  });

  it('rejects unknown extensions with a config error', () => {
    expect(() => parseRiscvIsa('rv32imav')).toThrow(MlbenchError);
    expect(() => parseRiscvIsa('rv64imac')).toThrow(/expected rv32/);
  });
});

describe('plugin arguments and results', () => {
  it('turns marker pairs into regions', () => {
    const arg = pluginArgument('/p.so', '/out.txt', {
      elf: '/x.elf',
      markers: { setup_begin: 0x100, setup_end: 0x120, run_begin: 0x140, run_end: 0x160 },
      stack: { low: 0x2000, high: 0x3000 },
      layerRanges: [{ name: 'layer 0', start: 0x400, end: 0x480 }],
      timeoutMs: 1000,
      instructionLimit: 5e9,
    });
    expect(arg).toBe(
      '/p.so,out=/out.txt,region=setup:0x100:0x120,region=run:0x140:0x160,limit=5000000000,stall_ms=5000,stack=0x2000:0x3000,layer=layer_0:0x400:0x480',
    );
  });

  it('parses the result file, leaving out regions still open at exit', () => {
    const r = parsePluginResults(
      'instructions 500\nlimit_hit 0\nregion setup 17 0\nregion run 277 0\nregion total 300 1\nstack_low 0x84005400\nlayer conv 99\n',
    );
    expect(r).toEqual({
      instructions: 500,
      limitHit: false,
      stalled: false,
      regions: { setup: 17, run: 277 },
      stackLowest: 0x84005400,
      layers: [{ name: 'conv', instructions: 99 }],
    });
  });

  it("describes picolibc's fault dump", () => {
    const dump = 'Program start.\nRISCV fault\n\tx0 zero   0x00000000\n\tmepc:     0x800001de\n\tmcause:   0x00000002\n\tmtval:    0x00000000\n';
    expect(describeFault(dump)).toBe('RISCV fault: mcause 0x00000002 (illegal instruction), mepc 0x800001de, mtval 0x00000000');
    const arm = 'Program start.\nARM fault: hardfault\n\tR0:   0x00000004\n\tLR:   0x0100002f\n\tPC:   0x01000662\n\tXPSR: 0x61100000\n';
    expect(describeFault(arm)).toBe('ARM fault: hardfault, PC 0x01000662, LR 0x0100002f');
    expect(describeFault('Program start.\nProgram finish.\n')).toBeUndefined();
  });
});

describe('mlif output block', () => {
  it('parses values inside the start/finish window and the exit line', () => {
    const out = parseMlifOutput(
      [
        '# Ignored: 1',
        'Program start.',
        '# Setup Instructions: 17',
        '# Run Instructions: 277',
        'MLIF MISMATCH vector=1 output=0 index=5 got=3 expected=4',
        '# Validation Vectors: 3',
        '# Validation Passed: 2',
        'Program finish.',
        'MLONMCU EXIT: 18',
      ].join('\n'),
    );
    expect(out).toEqual({
      started: true,
      finished: true,
      exitStatus: 0x12,
      values: { 'Setup Instructions': 17, 'Run Instructions': 277, 'Validation Vectors': 3, 'Validation Passed': 2 },
      diagnostics: ['MLIF MISMATCH vector=1 output=0 index=5 got=3 expected=4'],
    });
  });

  it('notices a missing finish line', () => {
    const out = parseMlifOutput('Program start.\n# Setup Instructions: 5\n');
    expect(out.finished).toBe(false);
    expect(out.exitStatus).toBeUndefined();
  });
});
