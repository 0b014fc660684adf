// Reading a linker map file (GNU ld's `-Map` and lld's): every input section placed in the program,
// with its object file, the symbol it holds and its size, and whether it takes ROM, RAM or both.
// With -ffunction-sections/-fdata-sections (mlif's default) each function and array is a section
// of its own, so this answers "which layer's weights are big?" byte for byte.
import { basename } from 'node:path';

export type MemoryKind = 'ROM' | 'RAM' | 'ROM+RAM';

export interface MapEntry {
  /** Output section, e.g. `.rodata`. */
  output: string;
  /** Input section, e.g. `.rodata.mlb_l0_weights`. */
  section: string;
  /** Object file name (`000_model.o`, `libgcc.a(_clz.o)`). */
  object: string;
  /** The symbol the section holds: a defined symbol, else the name the section carries. */
  symbol: string;
  memory: MemoryKind;
  bytes: number;
}

const ROM = /^\.(init|text|fini|rodata|srodata|init_array|fini_array|preinit_array|ARM\.exidx|ARM\.extab|eh_frame|gcc_except_table|got)\b/;
const RAM_AND_ROM = /^\.(data|sdata|tdata)\b/;
const RAM = /^\.(bss|sbss|tbss|noinit|stack|heap)\b/;

/** Where an output section lives; undefined for sections not loaded (debug info, comments). */
export function memoryOf(output: string): MemoryKind | undefined {
  if (RAM_AND_ROM.test(output)) return 'ROM+RAM';
  if (RAM.test(output)) return 'RAM';
  if (ROM.test(output)) return 'ROM';
  return undefined;
}

/** `.rodata.mlb_l0_weights` → `mlb_l0_weights`; `.text` → `.text` (nothing better is known). */
function nameFromSection(section: string): string {
  const m = /^\.(?:text|rodata|srodata|data|sdata|bss|sbss|tdata|tbss)\.(?:startup\.|unlikely\.|hot\.)?(.+)$/.exec(section);
  return m ? m[1] : section;
}

const objectName = (file: string): string => basename(file.trim());

function parseGnu(text: string): MapEntry[] {
  const start = text.indexOf('Linker script and memory map');
  const lines = (start >= 0 ? text.slice(start) : text).split('\n');
  const out: MapEntry[] = [];
  let output = '';
  let pendingOutput: string | undefined;
  let pendingInput: string | undefined;
  let last: MapEntry | undefined;
  const add = (section: string, size: string, file: string): void => {
    const memory = memoryOf(output);
    const bytes = parseInt(size, 16);
    last = undefined;
    if (!memory || output === '/DISCARD/' || bytes === 0 || !file.trim()) return;
    last = { output, section, object: objectName(file), symbol: nameFromSection(section), memory, bytes };
    out.push(last);
  };
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if (pendingOutput !== undefined) {
      if (/^\s+0x[0-9a-f]+\s+0x[0-9a-f]+/i.test(line)) output = pendingOutput;
      pendingOutput = undefined;
    }
    if (pendingInput !== undefined) {
      m = /^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(.+)$/i.exec(line);
      if (m) add(pendingInput, m[1], m[2]);
      pendingInput = undefined;
      if (m) continue;
    }
    if ((m = /^(\S+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+/i.exec(line))) output = m[1];
    else if ((m = /^(\.\S+|\/DISCARD\/)\s*$/.exec(line))) pendingOutput = m[1];
    else if ((m = /^ (\.\S+|COMMON)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(.+)$/i.exec(line))) add(m[1], m[2], m[3]);
    else if ((m = /^ (\.\S+|COMMON)\s*$/.exec(line))) pendingInput = m[1];
    else if ((m = /^\s+0x[0-9a-f]+\s+([A-Za-z_$][\w$.]*)\s*$/i.exec(line)) && last && last.symbol === nameFromSection(last.section) && last.symbol.startsWith('.')) {
      // A defined symbol names a section whose own name said nothing (`.text`, `.rodata`).
      last.symbol = m[1];
    }
  }
  return out;
}

/** lld: `VMA LMA Size Align Out In Symbol`; the indentation of the last column says which. */
function parseLld(text: string): MapEntry[] {
  const out: MapEntry[] = [];
  let output = '';
  for (const line of text.split('\n')) {
    const m = /^\s*[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ ( *)(\S.*)$/i.exec(line);
    if (!m) continue;
    const indent = m[2].length;
    const what = m[3].trim();
    if (indent === 0) output = what;
    else if (indent === 8) {
      const io = /^(.*):\((.+)\)$/.exec(what);
      const memory = memoryOf(output);
      const bytes = parseInt(m[1], 16);
      if (io && memory && bytes > 0) out.push({ output, section: io[2], object: objectName(io[1]), symbol: nameFromSection(io[2]), memory, bytes });
    }
  }
  return out;
}

export function parseLinkerMap(text: string): MapEntry[] {
  return /^\s*VMA\s+LMA\s+Size\s+Align\s+Out\s+In\s+Symbol/m.test(text) ? parseLld(text) : parseGnu(text);
}

/** Bytes per key (symbol or object) in ROM or RAM, largest first; data counts in both. */
export function footprint(entries: MapEntry[], memory: 'ROM' | 'RAM', by: 'symbol' | 'object'): [string, number][] {
  const sums = new Map<string, number>();
  for (const e of entries) {
    if (e.memory !== memory && e.memory !== 'ROM+RAM') continue;
    const key = by === 'symbol' ? e.symbol : e.object;
    sums.set(key, (sums.get(key) ?? 0) + e.bytes);
  }
  return [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
