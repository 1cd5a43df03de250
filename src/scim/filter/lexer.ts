import type { ScimError } from '../errors.js';

/** Builds the ScimError for a syntax problem; the message names the position or token. */
export type Fail = (message: string) => ScimError;

interface TokenBase {
  readonly text: string;
  /** 0-based offset of the first character in the input. */
  readonly start: number;
  /** 0-based offset just after the last character. */
  readonly end: number;
}

/** A lexical token of the filter / PATCH path grammar. */
export type Token =
  | (TokenBase & { readonly kind: 'string'; readonly value: string })
  | (TokenBase & { readonly kind: 'number'; readonly value: number })
  | (TokenBase & { readonly kind: 'word' | '(' | ')' | '[' | ']' | 'end' });

const SPACE = /[ \t\r\n]/;
const PUNCTUATION = new Set(['(', ')', '[', ']']);
// Attribute paths, URNs (`urn:…:2.0:User:name.givenName`), `.sub` after `]`, keywords and operators.
const WORD_START = /[A-Za-z$_.]/;
const WORD_CHAR = /[A-Za-z0-9$_.:-]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const MAX_QUOTED = 40;

/** Shortens a token for an error message so a 4 KB value does not flood the IdP's task list. */
export function abbreviate(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

/** Splits filter or path text into tokens; the last token is always `end`. */
export function tokenize(text: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const token = readToken(text, i, c, fail);
    tokens.push(token);
    i = token.end;
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

function readToken(text: string, start: number, c: string, fail: Fail): Token {
  if (PUNCTUATION.has(c)) return { kind: c as '(' | ')' | '[' | ']', text: c, start, end: start + 1 };
  if (c === '"') return readString(text, start, fail);
  if (c === '-' || (c >= '0' && c <= '9')) return readNumber(text, start, fail);
  if (WORD_START.test(c)) {
    let end = start + 1;
    while (end < text.length && WORD_CHAR.test(text.charAt(end))) end++;
    return { kind: 'word', text: text.slice(start, end), start, end };
  }
  if (c === "'") throw fail(`values must be in double quotes, found a single quote at position ${start}`);
  throw fail(`unexpected character "${c}" at position ${start}`);
}

/** A JSON string (RFC 8259 §7), so `\"`, `\\` and `\u00e9` escapes decode as in the PATCH body. */
function readString(text: string, start: number, fail: Fail): Token {
  let end = start + 1;
  while (end < text.length) {
    const c = text.charAt(end);
    if (c === '\\') end += 2;
    else if (c === '"') break;
    else end++;
  }
  if (end >= text.length) throw fail(`unterminated string starting at position ${start}: a closing double quote is missing`);
  const raw = text.slice(start, end + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw fail(`invalid string ${abbreviate(raw)} at position ${start}: use JSON escapes such as \\" and \\u00e9`);
  }
  if (typeof value !== 'string') throw fail(`invalid string ${abbreviate(raw)} at position ${start}`);
  return { kind: 'string', value, text: raw, start, end: end + 1 };
}

function readNumber(text: string, start: number, fail: Fail): Token {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  const end = match ? start + match[0].length : start;
  const next = text.charAt(end);
  if (!match || (next !== '' && !SPACE.test(next) && !PUNCTUATION.has(next))) {
    let stop = end;
    while (stop < text.length && !SPACE.test(text.charAt(stop)) && !PUNCTUATION.has(text.charAt(stop))) stop++;
    throw fail(`invalid number "${abbreviate(text.slice(start, Math.max(stop, start + 1)))}" at position ${start}`);
  }
  const value = Number(match[0]);
  if (!Number.isFinite(value)) throw fail(`the number ${abbreviate(match[0])} at position ${start} is out of range`);
  return { kind: 'number', value, text: match[0], start, end };
}
