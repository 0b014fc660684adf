// Formatting of C literals and constant arrays for the generated sources.
import { cCommentText, cIdentifier } from '../../core/c-text.js';

export type CArrayType = 'int8_t' | 'int16_t' | 'int32_t' | 'int64_t' | 'float';

/** A constant array the generator places in model_weights.c (flash). */
export interface ConstArray {
  name: string;
  ctype: CArrayType;
  values: ArrayLike<number>;
  /** One line saying what the array holds, e.g. "CONV_2D weights [16][3][3][8] OHWI". */
  what: string;
}

/** A float32 value as a C float literal that round-trips exactly. */
export function floatLiteral(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return 'FLT_MAX';
  if (v === Number.NEGATIVE_INFINITY) return '-FLT_MAX';
  if (Number.isNaN(v)) throw new Error('NaN constant in model');
  const s = Math.fround(v).toPrecision(9);
  return `${s.includes('.') || s.includes('e') ? s : `${s}.0`}f`;
}

/** A double literal with full precision. */
export function doubleLiteral(v: number): string {
  const s = v.toPrecision(17);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

export function intLiteral(v: number): string {
  // INT32_MIN cannot be written as a plain literal.
  return v === -2147483648 ? '(-2147483647 - 1)' : String(v);
}

function element(ctype: CArrayType, v: number): string {
  return ctype === 'float' ? floatLiteral(v) : intLiteral(v);
}

export function formatArrayDefinition(a: ConstArray): string {
  const perLine = a.ctype === 'int8_t' ? 24 : a.ctype === 'int32_t' ? 10 : 6;
  const lines: string[] = [];
  for (let i = 0; i < a.values.length; i += perLine) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + perLine, a.values.length); ++j) row.push(element(a.ctype, a.values[j]));
    lines.push(`  ${row.join(', ')},`);
  }
  return `/* ${cCommentText(a.what)} */\nconst ${a.ctype} ${cIdentifier(a.name)}[${a.values.length}] __attribute__((aligned(4))) = {\n${lines.join('\n')}\n};\n`;
}

export function formatArrayDeclaration(a: ConstArray): string {
  return `extern const ${a.ctype} ${cIdentifier(a.name)}[${a.values.length}];`;
}
