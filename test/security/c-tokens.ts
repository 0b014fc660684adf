// What a C/C++ compiler (or GNU ld, for /* */ in linker scripts) sees as code once comments and
// string/character literals are gone: translation phases 1-3 done as the standard says
// (trigraphs, line splices, then comments and literals), so a test can assert that no text
// from a model's names is left outside a comment or a literal.

const TRIGRAPHS: Record<string, string> = { '=': '#', '/': '\\', "'": '^', '(': '[', ')': ']', '!': '|', '<': '{', '>': '}', '-': '~' };

export interface CodeText {
  /** The source with every comment replaced by a space and every literal by `""` / `''`. */
  code: string;
  /** The bodies of string and character literals, escapes still written as in the source. */
  literals: string[];
  /** Why the text is not well formed (an unterminated comment or literal), if it is not. */
  problem?: string;
}

/** Phases 1-2: trigraphs (as -std=c99/c11/-trigraphs read them), then backslash-newline splices. */
export function spliceLines(source: string): string {
  return source.replace(/\?\?([=/'()!<>-])/g, (_, c: string) => TRIGRAPHS[c]).replace(/\\\r?\n/g, '');
}

export function codeOutsideCommentsAndLiterals(source: string): CodeText {
  const s = spliceLines(source);
  let code = '';
  const literals: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const next = s[i + 1];
    if (c === '/' && next === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) return { code, literals, problem: `unterminated comment at offset ${i}` };
      code += ' ';
      i = end + 2;
    } else if (c === '/' && next === '/') {
      const end = s.indexOf('\n', i);
      code += ' ';
      i = end < 0 ? s.length : end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) {
        if (s[j] === '\n') return { code, literals, problem: `newline inside a literal at offset ${j}` };
        j += s[j] === '\\' ? 2 : 1;
      }
      if (j >= s.length) return { code, literals, problem: `unterminated literal at offset ${i}` };
      literals.push(s.slice(i + 1, j));
      code += `${c}${c}`;
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, literals };
}

/**
 * Problems of one generated file: not well formed, or a forbidden word in its code. `allowed`
 * are identifiers that may contain such words (TVM's own sanitized struct field names).
 */
export function leaksIn(source: string, forbidden: string[], allowed: string[] = []): string[] {
  const t = codeOutsideCommentsAndLiterals(source);
  if (t.problem) return [t.problem];
  let code = t.code;
  for (const a of allowed) code = code.split(a).join(' ');
  const out: string[] = [];
  for (const w of forbidden) {
    const at = code.indexOf(w);
    if (at >= 0) out.push(`"${w}" in code: ...${code.slice(Math.max(0, at - 60), at + 60)}...`);
  }
  // Bytes that have no business in code: NUL and other controls, non-ASCII.
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\uffff]/.exec(code);
  if (bad) out.push(`character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} in code at ${bad.index}`);
  return out;
}
