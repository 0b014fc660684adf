// The one way a foreign string (a tensor, operator or signature name from a model, a model or
// config name, a path) enters generated C, C++, assembler or linker-script text. Identifiers
// in generated code are derived from indices, never from such names; names appear only through
// these functions, which make them inert inside a block comment or a string literal.
// Compiler flags built from text (-D) go through `cDefineFlag`, which refuses what is not a
// plain token.
import { MlbenchError } from './errors.js';

/** Characters that stand for themselves in a comment: no `*` or `/` pair, no `?` (trigraphs), no `\`. */
const COMMENT_SAFE = /^[A-Za-z0-9 _.,:;()[\]{}<>=+#@!%&|^~$'/-]$/;
/** Characters that stand for themselves in a string literal (no `"`, `\`, `?`). */
const STRING_SAFE = /^[A-Za-z0-9 _.,:;()[\]{}<>=+#@!%&|^~$'/*-]$/;

export const MAX_FOREIGN_TEXT = 160;

function escapeCodePoint(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
}

/**
 * Text to place between `/*` and `*\/`: printable ASCII is kept except `*`, `\` and `?`, which
 * are written as `\xNN` like every other character (so neither `*\/` nor a trigraph can form);
 * the result is one line, at most MAX_FOREIGN_TEXT characters of the name plus a marker.
 */
export function cCommentText(text: string, max = MAX_FOREIGN_TEXT): string {
  const chars = Array.from(text);
  const kept = chars.slice(0, max).map((ch) => (COMMENT_SAFE.test(ch) ? ch : escapeCodePoint(ch)));
  const out = kept.join('');
  return chars.length > max ? `${out}...(${chars.length} chars)` : out;
}

/** A whole block comment holding `text` inertly. */
export function cComment(text: string, max = MAX_FOREIGN_TEXT): string {
  return `/* ${cCommentText(text, max)} */`;
}

/**
 * A C string literal (with its quotes) whose bytes are exactly the UTF-8 bytes of `text`
 * (NUL included): everything outside a small safe set is written as a three-digit octal
 * escape, which cannot run into the next character as a hex escape could.
 */
export function cStringLiteral(text: string): string {
  let out = '"';
  for (const ch of Array.from(text)) {
    if (STRING_SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const b of Buffer.from(ch, 'utf8')) out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * Adjacent string literals, one per line (`indent` before each after the first), that together
 * hold exactly the bytes of `text`: long data stays readable and within old compilers' limits.
 * Splitting between code points is safe because every escape is complete within one literal.
 */
export function cStringLiterals(text: string, chunk = 64, indent = '  '): string {
  const chars = Array.from(text);
  if (chars.length === 0) return '""';
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i += chunk) parts.push(cStringLiteral(chars.slice(i, i + chunk).join('')));
  return parts.join(`\n${indent}`);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Whether `s` may be written into C as an identifier as it is. */
export function isCIdentifier(s: string): boolean {
  return IDENTIFIER.test(s);
}

/**
 * Guards an identifier that mlbench derived itself (from an index or a fixed prefix) before it
 * is written into code; a foreign name must never get here.
 */
export function cIdentifier(s: string): string {
  if (!isCIdentifier(s)) throw new Error(`internal: ${JSON.stringify(s.slice(0, 80))} is not a C identifier`);
  return s;
}

/** A `-D` value mlbench writes as it is: a number or a plain word, nothing a shell or cpp re-reads. */
const DEFINE_VALUE = /^[A-Za-z0-9_.+-]{0,64}$/;

/**
 * `-DNAME=VALUE` for the compiler's argv. Names and values come from components and targets;
 * one that is not an identifier and a plain token (a space, quote, `=` or newline would change
 * what the program means) is refused rather than escaped.
 */
export function cDefineFlag(name: string, value: string): string {
  if (!isCIdentifier(name) || !DEFINE_VALUE.test(value)) {
    throw new MlbenchError('config', `refusing the compiler define ${JSON.stringify(`${name}=${value}`.slice(0, 80))}: not an identifier and a plain value`, {
      hint: 'defines take a C identifier and a number or word ([A-Za-z0-9_.+-])',
    });
  }
  return `-D${name}=${value}`;
}

/** `cDefineFlag` for each entry, in order. */
export function cDefineFlags(defines: Record<string, string>): string[] {
  return Object.entries(defines).map(([k, v]) => cDefineFlag(k, v));
}
