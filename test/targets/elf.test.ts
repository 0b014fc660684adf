// The ELF reader and memory classification against binutils' own view of real programs.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CompileArtifact } from '../../src/core/artifacts.js';
import { classifySection, EM_RISCV, EM_X86_64, findSymbol, readElf } from '../../src/targets/elf.js';
import { hostX86Target } from '../../src/targets/host_x86.js';
import { riscvQemuTarget } from '../../src/targets/riscv_qemu.js';
import { compileOnly } from '../platforms/pipeline.js';

/** `size -A`: section name → [size, addr]. */
function sizeA(tool: string, elf: string): Map<string, [number, number]> {
  const out = execFileSync(tool, ['-A', '-d', elf], { encoding: 'utf8' });
  const m = new Map<string, [number, number]>();
  for (const line of out.split('\n')) {
    const f = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line);
    if (f) m.set(f[1], [Number(f[2]), Number(f[3])]);
  }
  return m;
}

const sum = (m: Map<string, [number, number]>, names: string[]): number =>
  names.reduce((a, n) => a + (m.get(n)?.[0] ?? 0), 0);

describe('ELF reader and memory figures (riscv)', () => {
  let compiled: CompileArtifact;

  it('reads sections exactly as riscv64-unknown-elf-size -A does', async () => {
    compiled = await compileOnly(riscvQemuTarget, { config: { 'mlif.stack_size': 8192, 'mlif.heap_size': 1024 } });
    const elf = readElf(compiled.elf);
    expect(elf.is64).toBe(false);
    expect(elf.machine).toBe(EM_RISCV);
    expect(elf.entry).toBe(0x80000000);
    const ref = sizeA('riscv64-unknown-elf-size', compiled.elf);
    for (const [name, [size, addr]] of ref) {
      const s = elf.sections.find((x) => x.name === name);
      expect(s, name).toBeDefined();
      expect([s!.size, s!.addr], name).toEqual([size, addr]);
    }
  });

  it('reconciles ROM and RAM totals with size -A section by section', () => {
    const ref = sizeA('riscv64-unknown-elf-size', compiled.elf);
    const m = compiled.memory;
    expect(m['ROM Code']).toBe(sum(ref, ['.init', '.text']));
    expect(m['ROM Read-only']).toBe(sum(ref, ['.rodata', '.init_array']));
    expect(m['ROM Data']).toBe(sum(ref, ['.data', '.tdata']));
    expect(m['ROM Total']).toBe(sum(ref, ['.init', '.text', '.rodata', '.init_array', '.data', '.tdata']));
    expect(m['RAM BSS']).toBe(sum(ref, ['.bss', '.tbss_space']));
    expect(m['RAM Stack']).toBe(8192);
    expect(m['RAM Heap']).toBe(1024);
    expect(m['RAM Total']).toBe(sum(ref, ['.data', '.tdata', '.tbss_space', '.bss', '.heap', '.stack']));
    // Every allocated section is in exactly one column.
    const elf = readElf(compiled.elf);
    const counted = elf.sections.filter((s) => classifySection(s) !== 'none').map((s) => s.name).sort();
    expect(counted).toEqual([...ref.keys()].filter((n) => (ref.get(n)![1] ?? 0) !== 0 && ref.get(n)![0] > 0).sort());
  });

  it('finds the stack bounds and markers in the symbol table', () => {
    const elf = readElf(compiled.elf);
    expect(compiled.stack!.high - compiled.stack!.low).toBe(8192);
    expect(findSymbol(elf, '__stack')!.value).toBe(compiled.stack!.high);
    expect(findSymbol(elf, 'mlif_marker_setup_begin')!.type).toBe('func');
    expect(Object.keys(compiled.markers)).toEqual(['total_begin', 'setup_begin', 'setup_end', 'run_begin', 'run_end', 'total_end']);
  });

  it('reads a 64-bit host ELF', async () => {
    const host = await compileOnly(hostX86Target);
    const elf = readElf(host.elf);
    expect(elf.is64).toBe(true);
    expect(elf.machine).toBe(EM_X86_64);
    const ref = sizeA('size', host.elf);
    expect(elf.sections.find((s) => s.name === '.text')!.size).toBe(ref.get('.text')![0]);
    expect(host.memory['RAM Stack']).toBe(0);
  });
});
