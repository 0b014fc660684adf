// The one way foreign text enters generated C (src/core/c-text.ts), tried with hostile strings
// and checked by the compilers themselves: comments stay comments and string literals hold
// exactly the bytes of the text, in C (with trigraphs on) and in C++.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cComment, cCommentText, cDefineFlag, cDefineFlags, cIdentifier, cStringLiteral, cStringLiterals, isCIdentifier } from '../../src/core/c-text.js';
import { MlbenchError } from '../../src/core/errors.js';
import { leaksIn } from './c-tokens.js';
import { hostileNames } from './hostile-model.js';

const HOSTILE = [...hostileNames('/tmp/mlbench-never-written'), '', '*', '/', '?', '??', '\\', '"', "'", '*/*/', '/*/', '\n', 'end\\'];
const MARKERS = ['zqx', 'system', 'constructor', 'int ', '#include'];

function hasCompiler(cc: string): boolean {
  try {
    execFileSync(cc, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A program that writes every literal's bytes (sizeof - 1: embedded NULs included), one per line. */
function program(lang: 'c' | 'c++'): string {
  const lines = [lang === 'c' ? '#include <stdio.h>' : '#include <cstdio>'];
  HOSTILE.forEach((h, i) => {
    lines.push(`/* ${cCommentText(h)} */`, cComment(h), `// ${cCommentText(h)}`, `int v${i} = 1; /* ${cCommentText(h, 20)} */ int w${i} = 2;`);
    lines.push(`static const char s${i}[] = ${cStringLiteral(h)};`, `static const char t${i}[] = ${cStringLiterals(h, 7, '    ')};`);
  });
  lines.push('int main(void) {');
  HOSTILE.forEach((_, i) => {
    lines.push(`  fwrite(s${i}, 1, sizeof s${i} - 1, stdout); fputc('\\n', stdout);`);
    lines.push(`  fwrite(t${i}, 1, sizeof t${i} - 1, stdout); fputc('\\n', stdout);`);
    lines.push(`  if (v${i} + w${i} != 3) return 1;`);
  });
  lines.push('  return 0;', '}', '');
  return lines.join('\n');
}

const expected = Buffer.concat(HOSTILE.flatMap((h) => [Buffer.from(`${h}\n`, 'utf8'), Buffer.from(`${h}\n`, 'utf8')]));

describe('c-text', () => {
  it('comment text is one line of safe characters, never a comment delimiter, splice or trigraph', () => {
    for (const h of HOSTILE) {
      const t = cCommentText(h);
      expect(t).toMatch(/^[\x20-\x7e]*$/);
      expect(t).not.toMatch(/\*\/|\/\*|\?|\\$/);
    }
    expect(cCommentText('input_1')).toBe('input_1');
    expect(cCommentText('a*/b')).toBe('a\\x2a/b');
    expect(cCommentText('x'.repeat(200))).toBe(`${'x'.repeat(160)}...(200 chars)`);
  });

  it('a generated file holding every hostile text has none of it outside comments and literals', () => {
    const leaks = leaksIn(program('c'), MARKERS.filter((m) => m !== 'int ' && m !== '#include'));
    expect(leaks).toEqual([]);
  });

  it.skipIf(!hasCompiler('gcc'))('gcc -std=c99 (trigraphs on) compiles it with -Wall -Werror and the literals hold the exact bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-ctext-'));
    writeFileSync(join(dir, 'p.c'), program('c'));
    execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-Wcomment', '-Wtrigraphs', '-pedantic', '-Wno-overlength-strings', 'p.c', '-o', 'p'], { cwd: dir });
    expect(execFileSync(join(dir, 'p'))).toEqual(expected);
  });

  it.skipIf(!hasCompiler('g++'))('g++ -std=c++11 compiles it the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-ctext-'));
    writeFileSync(join(dir, 'p.cc'), program('c++'));
    execFileSync('g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-Wcomment', '-Wtrigraphs', 'p.cc', '-o', 'p'], { cwd: dir });
    expect(execFileSync(join(dir, 'p'))).toEqual(expected);
  });

  it('identifiers: only what mlbench derived itself', () => {
    expect(isCIdentifier('mlb_input0')).toBe(true);
    for (const bad of ['', '0a', 'a b', 'a-b', 'é', 'a'.repeat(64), 'x;system']) expect(isCIdentifier(bad)).toBe(false);
    expect(() => cIdentifier('a*/b')).toThrow(/not a C identifier/);
  });

  it('-D flags: identifiers and plain values only', () => {
    expect(cDefineFlags({ MLIF_NUM_RUNS: '1', TVM_RUNTIME_ALLOC_ALIGNMENT_BYTES: '4' })).toEqual(['-DMLIF_NUM_RUNS=1', '-DTVM_RUNTIME_ALLOC_ALIGNMENT_BYTES=4']);
    for (const [k, v] of [['A B', '1'], ['A', '1 -DB=2'], ['A', '"x"'], ['A', 'x\ny'], ['A=1', '2'], ['', '1']]) {
      expect(() => cDefineFlag(k, v)).toThrow(MlbenchError);
    }
  });
});
