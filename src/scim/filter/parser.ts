import type { AttrPath, CompareOp, Filter, FilterValue } from './ast.js';
import { abbreviate, type Fail, type Token } from './lexer.js';

// Style rule 15: every input has a bound, so no filter can exhaust the stack or the CPU.
/** Longest filter or PATCH path accepted, in UTF-16 code units. */
export const MAX_FILTER_LENGTH = 4096;
/** Deepest nesting of `( )`, `not ( )` and `[ ]`; each counts as one level. */
export const MAX_FILTER_DEPTH = 16;
/** Most comparisons (`op value` or `pr`) in one filter. */
export const MAX_FILTER_TERMS = 50;

const OPERATORS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const LITERALS: ReadonlyMap<string, FilterValue> = new Map<string, FilterValue>([
  ['true', true],
  ['false', false],
  ['null', null],
]);
// RFC 7643 §2.1 ATTRNAME, plus `$ref` (RFC 7643 §2.3.7 uses it as a sub-attribute name).
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i;
// Style rule 15: segments that could reach Object.prototype when a path is applied to an object.
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The syntax of a PATCH path (RFC 7644 §3.5.2): `attrPath[valFilter].sub`. */
export interface PathSyntax {
  readonly path: AttrPath;
  readonly valueFilter: Filter | undefined;
  readonly subAttribute: string | undefined;
}

/**
 * Recursive-descent parser for RFC 7644 §3.4.2.2 (precedence not > and > or, left
 * associative). Recursion is bounded by MAX_FILTER_DEPTH, so hostile input fails cleanly.
 */
export class Parser {
  private index = 0;
  private depth = 0;
  private terms = 0;
  private inBrackets = false;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fail: Fail,
    private readonly subject: 'filter' | 'path',
  ) {}

  /** Parses a whole filter expression. */
  parseFilter(): Filter {
    const filter = this.parseOr();
    const next = this.peek();
    if (next.kind === ')' || next.kind === ']') throw this.fail(`unbalanced "${next.text}" at position ${next.start}`);
    if (next.kind !== 'end') throw this.unexpected(next, `expected "and", "or" or the end of the ${this.subject}`);
    return filter;
  }

  /** Parses a whole PATCH path; whitespace is only allowed inside the brackets. */
  parsePath(): PathSyntax {
    const first = this.take();
    if (first.kind !== 'word') throw this.unexpected(first, 'expected an attribute name');
    const path = this.toAttrPath(first);
    let last: Token = first;
    let valueFilter: Filter | undefined;
    let subAttribute: string | undefined;
    if (this.peek().kind === '[') {
      const open = this.take();
      if (open.start !== first.end) throw this.fail(`no space is allowed before "[" at position ${open.start}`);
      const { filter, close } = this.parseBrackets(first, path, open);
      valueFilter = filter;
      last = close;
      const sub = this.takeAdjacentSub(close);
      if (sub) {
        subAttribute = sub.name;
        last = sub.token;
      }
    }
    const next = this.peek();
    if (next.kind === 'end') return { path, valueFilter, subAttribute };
    if (next.start > last.end) throw this.fail(`no space is allowed in a path outside "[…]" (position ${last.end})`);
    throw this.unexpected(next, 'expected the end of the path');
  }

  private parseOr(): Filter {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Filter {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), 'and')) {
      this.index++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Filter {
    const token = this.take();
    if (token.kind === '(') return this.parseGroup(token, token);
    if (token.kind === 'word') {
      const keyword = token.text.toLowerCase();
      if (keyword === 'not') {
        const open = this.take();
        if (open.kind !== '(') throw this.unexpected(open, 'expected "(" after "not"');
        return { kind: 'not', filter: this.parseGroup(token, open) };
      }
      if (keyword === 'and' || keyword === 'or') throw this.fail(`expected an attribute name before "${token.text}" at position ${token.start}`);
      return this.parseAttributeExpression(token);
    }
    throw this.unexpected(token, 'expected an attribute name, "(" or "not"');
  }

  /** `( filter )` or the group of `not ( filter )`; `opener` is what counts as one nesting level. */
  private parseGroup(opener: Token, open: Token): Filter {
    this.enter(opener);
    const filter = this.parseOr();
    this.expectClose(open, ')');
    this.depth--;
    return filter;
  }

  private parseAttributeExpression(token: Token): Filter {
    const path = this.toAttrPath(token);
    if (this.peek().kind !== '[') return this.parseComparison(token.text, path);
    const open = this.take();
    const { filter, close } = this.parseBrackets(token, path, open);
    const sub = this.takeAdjacentSub(close);
    if (!sub) return { kind: 'valuePath', path, filter };
    // Entra sends `emails[type eq "work"].value eq "…"` (entra-onelogin-jumpcloud.md §2): it means
    // one element matching both, i.e. `emails[type eq "work" and value eq "…"]`.
    const subPath: AttrPath = { schema: undefined, attribute: sub.name, subAttribute: undefined };
    const comparison = this.parseComparison(`${token.text}[…]${sub.token.text}`, subPath);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: comparison } };
  }

  private parseBrackets(attribute: Token, path: AttrPath, open: Token): { filter: Filter; close: Token } {
    if (this.inBrackets) throw this.fail(`value filters cannot be nested ("[" at position ${open.start})`);
    if (path.subAttribute !== undefined) {
      throw this.fail(`"${abbreviate(attribute.text)}" is a sub-attribute; "[" at position ${open.start} must follow a multi-valued attribute`);
    }
    this.enter(open);
    this.inBrackets = true;
    const filter = this.parseOr();
    const close = this.expectClose(open, ']');
    this.inBrackets = false;
    this.depth--;
    return { filter, close };
  }

  private parseComparison(label: string, path: AttrPath): Filter {
    const token = this.peek();
    const op = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (op === 'pr') {
      this.index++;
      this.countTerm(token);
      const next = this.peek();
      if (next.kind === 'string' || next.kind === 'number' || (next.kind === 'word' && LITERALS.has(next.text.toLowerCase()))) {
        throw this.fail(`"pr" takes no value, found ${this.describe(next)} at position ${next.start}`);
      }
      return { kind: 'present', path };
    }
    if (!OPERATORS.has(op)) {
      throw this.unexpected(token, `expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or "pr" after "${abbreviate(label)}"`);
    }
    this.index++;
    const value = this.parseValue(token);
    this.countTerm(token);
    return { kind: 'compare', path, op: op as CompareOp, value };
  }

  private parseValue(operator: Token): FilterValue {
    const token = this.take();
    if (token.kind === 'string' || token.kind === 'number') return token.value;
    if (token.kind === 'word') {
      const literal = LITERALS.get(token.text.toLowerCase());
      if (literal !== undefined) return literal;
      throw this.fail(
        `the value "${abbreviate(token.text)}" after "${operator.text}" at position ${token.start} must be in double quotes (or be a number, true, false or null)`,
      );
    }
    throw this.unexpected(token, `expected a value after "${operator.text}"`);
  }

  /** Splits `[urn:…:]attr[.sub]` at the last colon (syntax only; the registry resolves it later). */
  private toAttrPath(token: Token): AttrPath {
    const text = token.text;
    let schema: string | undefined;
    let rest = text;
    if (/^urn:/i.test(text)) {
      const colon = text.lastIndexOf(':');
      schema = text.slice(0, colon);
      rest = text.slice(colon + 1);
    } else if (text.includes(':')) {
      throw this.fail(`invalid attribute "${abbreviate(text)}" at position ${token.start}: a schema prefix must be a URN starting with "urn:"`);
    }
    const segments = rest.split('.');
    for (const segment of segments) this.checkName(segment, token);
    if (segments.length > 2) {
      throw this.fail(`invalid attribute "${abbreviate(text)}" at position ${token.start}: at most one sub-attribute (attribute.subAttribute) is allowed`);
    }
    return { schema, attribute: segments[0] ?? '', subAttribute: segments[1] };
  }

  private checkName(name: string, token: Token): void {
    if (FORBIDDEN_NAMES.has(name.toLowerCase())) throw this.fail(`"${name}" at position ${token.start} is not an attribute name`);
    if (!ATTRIBUTE_NAME.test(name)) {
      const problem = name === '' ? 'an attribute name is empty' : `"${abbreviate(name)}" is not a valid attribute name`;
      throw this.fail(`invalid attribute "${abbreviate(token.text)}" at position ${token.start}: ${problem}`);
    }
  }

  /** `.sub` written directly after `]` (no whitespace), as in `emails[type eq "work"].value`. */
  private takeAdjacentSub(close: Token): { name: string; token: Token } | undefined {
    const next = this.peek();
    if (next.kind !== 'word' || !next.text.startsWith('.') || next.start !== close.end) return undefined;
    this.index++;
    const name = next.text.slice(1);
    this.checkName(name, next);
    return { name, token: next };
  }

  private expectClose(open: Token, closer: ')' | ']'): Token {
    const token = this.take();
    if (token.kind === closer) return token;
    if (token.kind === 'end') throw this.fail(`missing "${closer}" to close the "${open.text}" at position ${open.start}`);
    throw this.unexpected(token, `expected "and", "or" or "${closer}"`);
  }

  private enter(token: Token): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw this.fail(`more than ${MAX_FILTER_DEPTH} levels of nested parentheses, "not" or "[" (at position ${token.start})`);
    }
  }

  private countTerm(token: Token): void {
    this.terms++;
    if (this.terms > MAX_FILTER_TERMS) throw this.fail(`more than ${MAX_FILTER_TERMS} comparisons (the limit is reached at position ${token.start})`);
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private peek(): Token {
    const token = this.tokens[this.index] ?? this.tokens[this.tokens.length - 1];
    if (!token) throw new Error('tokenize() always ends with an end token');
    return token;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private describe(token: Token): string {
    if (token.kind === 'end') return `the end of the ${this.subject}`;
    if (token.kind === 'string' || token.kind === 'number') return abbreviate(token.text);
    return `"${abbreviate(token.text)}"`;
  }

  private unexpected(token: Token, expectation: string): ReturnType<Fail> {
    return this.fail(`${expectation} at position ${token.start}, found ${this.describe(token)}`);
  }
}
