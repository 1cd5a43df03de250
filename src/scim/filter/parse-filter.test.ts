import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../errors.js';
import type { AttrPath, CompareOp, Filter, FilterValue } from './ast.js';
import { formatFilter } from './format-filter.js';
import { parseFilter } from './parse-filter.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

const path = (attribute: string, subAttribute?: string, schema?: string): AttrPath => ({ schema, attribute, subAttribute });
const cmp = (p: AttrPath | string, op: CompareOp, value: FilterValue): Filter => ({ kind: 'compare', path: typeof p === 'string' ? path(p) : p, op, value });
const pr = (p: AttrPath | string): Filter => ({ kind: 'present', path: typeof p === 'string' ? path(p) : p });
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (attribute: string, filter: Filter, schema?: string): Filter => ({ kind: 'valuePath', path: path(attribute, undefined, schema), filter });

function assertInvalidFilter(text: string, detail?: RegExp): void {
  assert.throws(
    () => parseFilter(text),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, `expected a ScimError for ${JSON.stringify(text)}, got ${String(error)}`);
      assert.equal(error.status, 400);
      assert.equal(error.scimType, 'invalidFilter');
      assert.match(error.detail, /^Invalid filter: /);
      if (detail) assert.match(error.detail, detail);
      return true;
    },
  );
}

describe('parseFilter: operators', () => {
  const ops: CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
  for (const op of ops) {
    it(`parses "${op}" in any letter case`, () => {
      assert.deepEqual(parseFilter(`title ${op} "x"`), cmp('title', op, 'x'));
      assert.deepEqual(parseFilter(`title ${op.toUpperCase()} "x"`), cmp('title', op, 'x'));
    });
  }
  it('parses "pr" in any letter case', () => {
    assert.deepEqual(parseFilter('title pr'), pr('title'));
    assert.deepEqual(parseFilter('title PR'), pr('title'));
  });
});

describe('parseFilter: values', () => {
  const cases: [string, FilterValue][] = [
    ['"plain"', 'plain'],
    ['"with \\"escaped\\" quotes"', 'with "escaped" quotes'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"caf\\u00e9"', 'café'],
    ['"tab\\there"', 'tab\there'],
    ['""', ''],
    ['42', 42],
    ['-3.5', -3.5],
    ['1e3', 1000],
    ['0', 0],
    ['true', true],
    ['False', false],
    ['null', null],
    ['"a b and c or d"', 'a b and c or d'],
    ['"(not) [a] \\"eq\\""', '(not) [a] "eq"'],
  ];
  for (const [text, value] of cases) {
    it(`reads ${text}`, () => assert.deepEqual(parseFilter(`title eq ${text}`), cmp('title', 'eq', value)));
  }
});

describe('parseFilter: precedence and grouping', () => {
  const a = cmp('a', 'eq', 1);
  const b = cmp('b', 'eq', 2);
  const c = cmp('c', 'eq', 3);
  const cases: [string, Filter][] = [
    ['a eq 1 and b eq 2 or c eq 3', or(and(a, b), c)],
    ['a eq 1 or b eq 2 and c eq 3', or(a, and(b, c))],
    ['a eq 1 and b eq 2 and c eq 3', and(and(a, b), c)],
    ['a eq 1 or b eq 2 or c eq 3', or(or(a, b), c)],
    ['a eq 1 and (b eq 2 or c eq 3)', and(a, or(b, c))],
    ['(a eq 1 or b eq 2) and c eq 3', and(or(a, b), c)],
    ['not (a eq 1) and b eq 2', and(not(a), b)],
    ['not (a eq 1 or b eq 2)', not(or(a, b))],
    ['NOT(a eq 1)', not(a)],
    ['((a eq 1))', a],
    ['a eq 1 AND b eq 2 Or c eq 3', or(and(a, b), c)],
    ['  a eq 1\tand\nb eq 2  ', and(a, b)],
    ['(a eq 1)and(b eq 2)', and(a, b)],
  ];
  for (const [text, expected] of cases) it(`parses ${text}`, () => assert.deepEqual(parseFilter(text), expected));
});

describe('parseFilter: attribute paths', () => {
  const cases: [string, AttrPath][] = [
    ['userName', path('userName')],
    ['USERNAME', path('USERNAME')],
    ['name.givenName', path('name', 'givenName')],
    ['meta.lastModified', path('meta', 'lastModified')],
    ['members.$ref', path('members', '$ref')],
    [`${CORE}:userName`, path('userName', undefined, CORE)],
    [`${CORE}:name.familyName`, path('name', 'familyName', CORE)],
    [`${ENTERPRISE}:employeeNumber`, path('employeeNumber', undefined, ENTERPRISE)],
    [`${ENTERPRISE}:manager.value`, path('manager', 'value', ENTERPRISE)],
    ['URN:IETF:params:scim:schemas:core:2.0:User:userName', path('userName', undefined, 'URN:IETF:params:scim:schemas:core:2.0:User')],
  ];
  for (const [text, expected] of cases) {
    it(`splits ${text}`, () => assert.deepEqual(parseFilter(`${text} pr`), pr(expected)));
  }
});

describe('parseFilter: value paths', () => {
  const cases: [string, Filter][] = [
    ['emails[type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
    ['emails[type eq "work" and value co "@x"]', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@x')))],
    ['emails[not (primary eq true)]', vp('emails', not(cmp('primary', 'eq', true)))],
    ['emails[(type eq "a" or type eq "b") and value pr]', vp('emails', and(or(cmp('type', 'eq', 'a'), cmp('type', 'eq', 'b')), pr('value')))],
    [`${CORE}:emails[type eq "work"]`, vp('emails', cmp('type', 'eq', 'work'), CORE)],
    ['userName eq "x" and emails[type eq "work"]', and(cmp('userName', 'eq', 'x'), vp('emails', cmp('type', 'eq', 'work')))],
    // Entra's form (entra-onelogin-jumpcloud.md §2): one element matching both.
    ['emails[type eq "work"].value eq "a@x.com"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@x.com')))],
    ['emails[type eq "work"].value pr', vp('emails', and(cmp('type', 'eq', 'work'), pr('value')))],
  ];
  for (const [text, expected] of cases) it(`parses ${text}`, () => assert.deepEqual(parseFilter(text), expected));
});

describe('parseFilter: filters identity providers send', () => {
  const cases: [string, Filter][] = [
    // okta.md §"filter": userName eq with an email, and displayName eq on Groups.
    ['userName eq "test.user@okta.local"', cmp('userName', 'eq', 'test.user@okta.local')],
    ['displayName eq "Test SCIMv2"', cmp('displayName', 'eq', 'Test SCIMv2')],
    // entra-onelogin-jumpcloud.md §3.1–§3.8.
    ['userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"', cmp('userName', 'eq', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee')],
    ['externalId eq "0a1b2c3d-4e5f"', cmp('externalId', 'eq', '0a1b2c3d-4e5f')],
    ['DisplayName eq "BobIsAmazing"', cmp('DisplayName', 'eq', 'BobIsAmazing')],
    ['displayName eq "Sales and Marketing - EMEA"', cmp('displayName', 'eq', 'Sales and Marketing - EMEA')],
    ['displayName eq "The \\"A\\" Team"', cmp('displayName', 'eq', 'The "A" Team')],
    ['emails[type eq "work"].value eq "jane@contoso.com"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'jane@contoso.com')))],
    ['members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]', vp('members', cmp('value', 'eq', '89bb1940-b905-4575-9e7f-6f887cfb368e'))],
    ['id eq "u1" and manager eq "m1"', and(cmp('id', 'eq', 'u1'), cmp('manager', 'eq', 'm1'))],
    ['roles[primary eq "True"]', vp('roles', cmp('primary', 'eq', 'True'))],
  ];
  for (const [text, expected] of cases) it(`parses ${text}`, () => assert.deepEqual(parseFilter(text), expected));
});

describe('parseFilter: malformed filters are invalidFilter', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['userName "bob"', /expected a comparison operator .*after "userName" at position 9, found "bob"/],
    ['userName', /after "userName" at position 8, found the end of the filter/],
    ['userName eq', /expected a value after "eq" at position 11/],
    ['userName eq bob', /"bob" .* must be in double quotes/],
    ['externalId eq jyoung', /must be in double quotes/],
    ["userName eq 'bob'", /double quotes, found a single quote at position 12/],
    ['userName eq "bob', /unterminated string starting at position 12/],
    ['userName eq "bob\\"', /unterminated string/],
    ['userName eq "b\\x"', /invalid string/],
    ['userName eq "\\u00zz"', /invalid string/],
    ['userName eq "bob" extra', /expected "and", "or" or the end of the filter at position 18, found "extra"/],
    ['userName eq "a" "b"', /found "b"/],
    ['title pr "x"', /"pr" takes no value/],
    ['title pr true', /"pr" takes no value/],
    ['title like "x"', /expected a comparison operator/],
    ['(title pr', /missing "\)" to close the "\(" at position 0/],
    ['title pr)', /unbalanced "\)" at position 8/],
    ['emails[type eq "work"', /missing "\]"/],
    ['emails[type eq "work"]]', /unbalanced "\]"/],
    ['emails type eq "work"]', /expected a comparison operator/],
    ['emails[type eq "work")', /expected "and", "or" or "\]"/],
    ['emails[types[value pr]]', /cannot be nested/],
    ['name.givenName[value pr]', /is a sub-attribute/],
    ['not title pr', /expected "\(" after "not"/],
    ['and title pr', /attribute name before "and"/],
    ['title pr and', /expected an attribute name, "\(" or "not" at position 12, found the end/],
    ['title pr or or x pr', /attribute name before "or"/],
    ['title pr and ()', /found "\)"/],
    ['()', /found "\)"/],
    ['[]', /found "\["/],
    ['"x" eq title', /expected an attribute name/],
    ['title eq 5abc', /invalid number "5abc"/],
    ['title eq 01', /invalid number/],
    ['title eq 1e999', /out of range/],
    ['title eq -', /invalid number/],
    ['title eq #', /unexpected character "#" at position 9/],
    ['title = "x"', /unexpected character "="/],
    ['name..givenName pr', /attribute name is empty/],
    ['name.givenName.x pr', /at most one sub-attribute/],
    ['name. pr', /attribute name is empty/],
    ['.value eq "x"', /attribute name is empty/],
    ['foo:bar pr', /must be a URN/],
    [`${CORE}: pr`, /attribute name is empty/],
    ['1abc pr', /invalid number/],
    ['__proto__ pr', /"__proto__" at position 0 is not an attribute name/],
    ['constructor eq "x"', /not an attribute name/],
    ['emails[type eq "work"].prototype eq "x"', /not an attribute name/],
    ['emails[type eq "work"] .value eq "x"', /found "\.value"/],
    ['emails[type eq "work"].value', /expected a comparison operator/],
    ['emails[type eq "work"]..value eq "x"', /not a valid attribute name/],
  ];
  for (const [text, detail] of cases) it(`rejects ${JSON.stringify(text)}`, () => assertInvalidFilter(text, detail));
});

describe('parseFilter: bounds (style.md §6 rule 15)', () => {
  const term = 'userName eq "x"';
  it('accepts 4096 characters and rejects 4097', () => {
    const value = 'a'.repeat(4096 - 'userName eq ""'.length);
    assert.equal(parseFilter(`userName eq "${value}"`).kind, 'compare');
    assertInvalidFilter(`userName eq "${value}a"`, /4097 characters long; the limit is 4096/);
  });
  it('accepts 16 levels of parentheses and rejects 17', () => {
    assert.equal(parseFilter(`${'('.repeat(16)}${term}${')'.repeat(16)}`).kind, 'compare');
    assertInvalidFilter(`${'('.repeat(17)}${term}${')'.repeat(17)}`, /more than 16 levels/);
  });
  it('counts "not" and brackets as levels', () => {
    assert.equal(parseFilter(`${'not ('.repeat(15)}emails[value pr]${')'.repeat(15)}`).kind, 'not');
    assertInvalidFilter(`${'not ('.repeat(16)}emails[value pr]${')'.repeat(16)}`, /more than 16 levels/);
  });
  it('fails cleanly, without a stack overflow, on 2000 open parentheses', () => {
    assertInvalidFilter('('.repeat(2000), /more than 16 levels/);
    assertInvalidFilter('not('.repeat(1000), /more than 16 levels/);
  });
  it('accepts 50 comparisons and rejects 51', () => {
    assert.equal(parseFilter(Array(50).fill(term).join(' or ')).kind, 'or');
    assertInvalidFilter(Array(51).fill(term).join(' or '), /more than 50 comparisons/);
    assertInvalidFilter(Array(51).fill('title pr').join(' and '), /more than 50 comparisons/);
  });
  it('counts both comparisons of the Entra value-path form', () => {
    const entra = 'emails[type eq "work"].value eq "x"';
    assert.equal(parseFilter(Array(25).fill(entra).join(' or ')).kind, 'or');
    assertInvalidFilter(`${Array(25).fill(entra).join(' or ')} or ${term}`, /more than 50 comparisons/);
  });
  it('quotes at most 40 characters of a long token', () => {
    assert.throws(
      () => parseFilter(`userName eq ${'b'.repeat(500)}`),
      (error: ScimError) => error.detail.length < 200 && error.detail.includes('…'),
    );
  });
});

const ATTRIBUTE_NAMES = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,7}$/)
  .filter((name) => !['and', 'or', 'not', 'constructor', 'prototype'].includes(name.toLowerCase()));
const SCHEMAS = fc.constantFrom(undefined, CORE, ENTERPRISE, 'urn:example:params:1.0:Thing');
const VALUES: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null),
);
const OPS = fc.constantFrom<CompareOp>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');

function leafArbitrary(pathArbitrary: fc.Arbitrary<AttrPath>): fc.Arbitrary<Filter> {
  return fc.oneof(
    fc.record({ path: pathArbitrary, op: OPS, value: VALUES }).map(({ path: p, op, value }) => cmp(p, op, value)),
    pathArbitrary.map((p) => pr(p)),
  );
}

function treeArbitrary(leaf: fc.Arbitrary<Filter>, extra: fc.Arbitrary<Filter>[] = []): fc.Arbitrary<Filter> {
  const { tree } = fc.letrec<{ tree: Filter }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      ...extra,
      fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), tie('tree'), tie('tree')).map(([kind, left, right]): Filter => ({ kind, left, right })),
      tie('tree').map(not),
    ),
  }));
  return tree;
}

const relativePath = ATTRIBUTE_NAMES.map((name) => path(name));
const absolutePath = fc
  .tuple(SCHEMAS, ATTRIBUTE_NAMES, fc.option(ATTRIBUTE_NAMES, { nil: undefined }))
  .map(([schema, attribute, subAttribute]) => path(attribute, subAttribute, schema));
const valuePath = fc
  .record({ schema: SCHEMAS, attribute: ATTRIBUTE_NAMES, filter: treeArbitrary(leafArbitrary(relativePath)) })
  .map(({ schema, attribute, filter }) => vp(attribute, filter, schema));
const FILTERS = treeArbitrary(leafArbitrary(absolutePath), [valuePath]).filter((f) => withinBounds(f));

function withinBounds(filter: Filter): boolean {
  const measure = (f: Filter): { depth: number; terms: number } => {
    switch (f.kind) {
      case 'compare':
      case 'present':
        return { depth: 0, terms: 1 };
      case 'not':
      case 'valuePath': {
        const inner = measure(f.filter);
        return { depth: inner.depth + 1, terms: inner.terms };
      }
      case 'and':
      case 'or': {
        const l = measure(f.left);
        const r = measure(f.right);
        return { depth: Math.max(l.depth, r.depth) + 1, terms: l.terms + r.terms };
      }
    }
  };
  const { depth, terms } = measure(filter);
  return depth <= 16 && terms <= 50 && formatFilter(filter).length <= 4096;
}

function throwsOnlyInvalidFilter(text: string): boolean {
  try {
    parseFilter(text);
    return true;
  } catch (error) {
    return error instanceof ScimError && error.status === 400 && error.scimType === 'invalidFilter';
  }
}

const SOUP = fc.constantFrom(
  '(', ')', '[', ']', '"', '\\', ' ', '.', ':', 'and', 'or', 'not', 'eq', 'ne', 'co', 'pr', 'gt', 'true', 'null',
  '"x"', '"a\\"b"', '-1', '2.5e3', 'userName', 'emails', '.value', 'name.givenName', `${CORE}:`, `${ENTERPRISE}:manager`, '__proto__', "'",
);

describe('parseFilter: properties', () => {
  it('never throws anything but invalidFilter on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), throwsOnlyInvalidFilter), { numRuns: 2000 });
  });
  it('never throws anything but invalidFilter on random token soups', () => {
    const soup = fc.tuple(fc.array(SOUP, { maxLength: 40 }), fc.constantFrom('', ' ')).map(([tokens, sep]) => tokens.join(sep));
    fc.assert(fc.property(soup, throwsOnlyInvalidFilter), { numRuns: 3000 });
  });
  it('parses a printed well-formed filter back to the same tree', () => {
    fc.assert(
      fc.property(FILTERS, (filter) => {
        assert.deepEqual(parseFilter(formatFilter(filter)), filter);
      }),
      { numRuns: 1000 },
    );
  });
});
