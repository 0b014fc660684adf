// A small reader for little-endian ELF32/ELF64 files: section headers and the symbol table,
// enough to find marker functions, stack bounds and to classify memory into report columns.
import { readFileSync } from 'node:fs';
import type { MemoryFigures } from '../core/artifacts.js';
import { MlbenchError } from '../core/errors.js';

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_TLS = 0x400;
export const EM_ARM = 40;
export const EM_RISCV = 243;
export const EM_X86_64 = 62;

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  size: number;
  offset: number;
}

export type ElfSymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'tls' | 'other';

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: ElfSymbolType;
  /** Name of the section the symbol is defined in; '' for undefined/absolute symbols. */
  section: string;
}

export interface ElfFile {
  path: string;
  is64: boolean;
  machine: number;
  entry: number;
  sections: ElfSection[];
  symbols: ElfSymbol[];
}

const SYMBOL_TYPES: ElfSymbolType[] = ['notype', 'object', 'func', 'section', 'file', 'other', 'tls'];

export function readElf(path: string): ElfFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new MlbenchError('tool-failed', `cannot read ELF ${path}: ${(e as Error).message}`);
  }
  return parseElf(buf, path);
}

export function parseElf(buf: Buffer, path = '<buffer>'): ElfFile {
  const bad = (why: string): never => {
    throw new MlbenchError('tool-failed', `${path} is not a usable ELF file: ${why}`);
  };
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) bad('no ELF magic');
  const cls = buf[4];
  if (cls !== 1 && cls !== 2) bad(`unknown class ${cls}`);
  if (buf[5] !== 1) bad('big-endian ELF is not supported');
  const is64 = cls === 2;
  // Addresses fit in a JS number: 64-bit hosts use at most 48-bit virtual addresses.
  const word = (off: number): number => (is64 ? Number(buf.readBigUInt64LE(off)) : buf.readUInt32LE(off));
  const machine = buf.readUInt16LE(18);
  const entry = word(24);
  const shoff = is64 ? word(0x28) : word(0x20);
  const shentsize = buf.readUInt16LE(is64 ? 0x3a : 0x2e);
  const shnum = buf.readUInt16LE(is64 ? 0x3c : 0x30);
  const shstrndx = buf.readUInt16LE(is64 ? 0x3e : 0x32);
  if (shoff === 0 || shoff + shnum * shentsize > buf.length) bad('section headers missing or truncated');

  interface RawSection extends ElfSection {
    nameOff: number;
    link: number;
    entsize: number;
  }
  const raw: RawSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    raw.push(
      is64
        ? {
            nameOff: buf.readUInt32LE(o),
            type: buf.readUInt32LE(o + 4),
            flags: word(o + 8),
            addr: word(o + 16),
            offset: word(o + 24),
            size: word(o + 32),
            link: buf.readUInt32LE(o + 40),
            entsize: word(o + 56),
            name: '',
          }
        : {
            nameOff: buf.readUInt32LE(o),
            type: buf.readUInt32LE(o + 4),
            flags: buf.readUInt32LE(o + 8),
            addr: buf.readUInt32LE(o + 12),
            offset: buf.readUInt32LE(o + 16),
            size: buf.readUInt32LE(o + 20),
            link: buf.readUInt32LE(o + 24),
            entsize: buf.readUInt32LE(o + 36),
            name: '',
          },
    );
  }
  const cstr = (tableOffset: number, off: number): string => {
    const start = tableOffset + off;
    const end = buf.indexOf(0, start);
    return buf.toString('latin1', start, end < 0 ? buf.length : end);
  };
  const shstr = raw[shstrndx];
  if (!shstr) bad('no section name table');
  for (const s of raw) s.name = cstr(shstr.offset, s.nameOff);

  const symbols: ElfSymbol[] = [];
  const symtab = raw.find((s) => s.type === SHT_SYMTAB);
  if (symtab) {
    const strtab = raw[symtab.link];
    const entsize = symtab.entsize || (is64 ? 24 : 16);
    for (let o = symtab.offset + entsize; o + entsize <= symtab.offset + symtab.size; o += entsize) {
      const nameOff = buf.readUInt32LE(o);
      const info = is64 ? buf[o + 4] : buf[o + 12];
      const shndx = buf.readUInt16LE(is64 ? o + 6 : o + 14);
      const value = is64 ? word(o + 8) : buf.readUInt32LE(o + 4);
      const size = is64 ? word(o + 16) : buf.readUInt32LE(o + 8);
      symbols.push({
        name: strtab ? cstr(strtab.offset, nameOff) : '',
        value,
        size,
        type: SYMBOL_TYPES[info & 0xf] ?? 'other',
        section: shndx > 0 && shndx < raw.length ? raw[shndx].name : '',
      });
    }
  }
  const sections = raw.map(({ name, type, flags, addr, size, offset }) => ({ name, type, flags, addr, size, offset }));
  return { path, is64, machine, entry, sections, symbols };
}

export function findSymbol(elf: ElfFile, name: string): ElfSymbol | undefined {
  return elf.symbols.find((s) => s.name === name && s.section !== '');
}

/**
 * Address of a function's first instruction. Arm Thumb symbols carry bit 0 set (the interworking
 * bit); the instruction itself is at the even address, which is what simulators report as PC.
 */
export function functionAddress(elf: ElfFile, name: string): number | undefined {
  const s = findSymbol(elf, name);
  if (!s) return undefined;
  return elf.machine === EM_ARM && s.type === 'func' ? s.value & ~1 : s.value;
}

/** Column a section's bytes go to; see src/platforms/mlif/MEMORY.md. */
export type SectionClass = 'code' | 'read-only' | 'data' | 'bss' | 'stack' | 'heap' | 'none';

export function classifySection(s: ElfSection): SectionClass {
  if (!(s.flags & SHF_ALLOC) || s.size === 0) return 'none';
  // ld does not give .tbss address space of its own; our linker script reserves it in
  // .tbss_space, which is counted as bss instead.
  if (s.flags & SHF_TLS && s.type === SHT_NOBITS) return 'none';
  if (s.name === '.stack' || s.name.startsWith('.stack.')) return 'stack';
  if (s.name === '.heap' || s.name.startsWith('.heap.')) return 'heap';
  // Entry code and the vector table: the Arm table comes from picolibc's writable
  // `.data.init.enter`, but it lives in flash/ITCM and is never copied to RAM.
  if (s.flags & SHF_EXECINSTR || s.name === '.init' || s.name === '.vectors' || s.name.startsWith('.vectors.')) return 'code';
  if (s.type === SHT_INIT_ARRAY || s.type === SHT_FINI_ARRAY || s.type === SHT_PREINIT_ARRAY) return 'read-only';
  if (s.type === SHT_NOBITS) return 'bss';
  if (s.flags & SHF_WRITE) return 'data';
  return 'read-only';
}

/**
 * ROM Total = code + read-only data + the flash image of initialised data; RAM Total = data +
 * bss + stack + heap. Stack and heap come from `.stack`/`.heap` sections when the ELF has them
 * (the mlif linker script makes both), otherwise from the reservations given here.
 */
export function memoryFigures(elf: ElfFile, stackSize = 0, heapSize = 0): MemoryFigures {
  const sum: Record<SectionClass, number> = { code: 0, 'read-only': 0, data: 0, bss: 0, stack: 0, heap: 0, none: 0 };
  const seen = new Set<SectionClass>();
  for (const s of elf.sections) {
    const c = classifySection(s);
    sum[c] += s.size;
    seen.add(c);
  }
  const stack = seen.has('stack') ? sum.stack : stackSize;
  const heap = seen.has('heap') ? sum.heap : heapSize;
  return {
    'ROM Total': sum.code + sum['read-only'] + sum.data,
    'ROM Code': sum.code,
    'ROM Read-only': sum['read-only'],
    'ROM Data': sum.data,
    'RAM Total': sum.data + sum.bss + stack + heap,
    'RAM Data': sum.data,
    'RAM BSS': sum.bss,
    'RAM Stack': stack,
    'RAM Heap': heap,
  };
}
