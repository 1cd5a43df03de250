import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScimError } from './errors.js';
import { parseListQuery, type ListQuery } from './list-query.js';

const limits = { defaultCount: 100, maxCount: 100 };
const defaults: ListQuery = {
  filter: undefined,
  startIndex: 1,
  count: 100,
  sortBy: undefined,
  sortOrder: 'ascending',
  attributes: undefined,
  excludedAttributes: undefined,
};

describe('parseListQuery: normalisation', () => {
  const cases: { name: string; query: Record<string, unknown>; expected: Partial<ListQuery> }[] = [
    { name: 'no parameters (Okta: bare GET /Groups)', query: {}, expected: {} },
    { name: 'Okta lookup', query: { filter: 'userName eq "test.user@okta.local"', startIndex: '1', count: '100' }, expected: { filter: 'userName eq "test.user@okta.local"' } },
    { name: 'Okta second page', query: { startIndex: '101', count: '100' }, expected: { startIndex: 101 } },
    { name: 'startIndex 0 becomes 1', query: { startIndex: '0' }, expected: { startIndex: 1 } },
    { name: 'negative startIndex becomes 1', query: { startIndex: '-5' }, expected: { startIndex: 1 } },
    { name: 'count 0 stays 0 (only totalResults wanted)', query: { count: '0' }, expected: { count: 0 } },
    { name: 'negative count becomes 0', query: { count: '-1' }, expected: { count: 0 } },
    { name: 'count above the cap becomes the cap', query: { count: '500' }, expected: { count: 100 } },
    { name: 'a huge count becomes the cap', query: { count: '99999999999999999999999' }, expected: { count: 100 } },
    { name: 'Logic-App validator paging', query: { startIndex: '6', count: '5' }, expected: { startIndex: 6, count: 5 } },
    { name: 'empty count means the default', query: { count: '' }, expected: {} },
    { name: 'a one-element repeated parameter', query: { count: ['5'] }, expected: { count: 5 } },
    { name: 'parameter names in any case', query: { StartIndex: '3', COUNT: '2', Filter: 'displayName eq "x"' }, expected: { startIndex: 3, count: 2, filter: 'displayName eq "x"' } },
    { name: 'an empty filter is no filter', query: { filter: '  ' }, expected: {} },
    { name: 'unknown parameters are ignored (Entra aadOptscim062020)', query: { aadOptscim062020: '', foo: 'bar' }, expected: {} },
    { name: 'sortBy and a descending sortOrder in any case', query: { sortBy: 'userName', sortOrder: 'DESCENDING' }, expected: { sortBy: 'userName', sortOrder: 'descending' } },
    { name: 'Entra team lookup without members', query: { excludedAttributes: 'members', filter: 'displayName eq "Sales"' }, expected: { excludedAttributes: ['members'], filter: 'displayName eq "Sales"' } },
    { name: 'a comma-separated attribute list', query: { attributes: 'userName, emails' }, expected: { attributes: ['userName', 'emails'] } },
    { name: 'a repeated attributes parameter is joined', query: { attributes: ['userName', 'emails,name'] }, expected: { attributes: ['userName', 'emails', 'name'] } },
    { name: 'an empty attributes list is no selection', query: { attributes: '' }, expected: {} },
    {
      name: 'POST /.search body (RFC 7644 §3.4.3): numbers and arrays',
      query: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], attributes: ['displayName', 'userName'], filter: 'userName sw "a"', startIndex: 11, count: 5 },
      expected: { attributes: ['displayName', 'userName'], filter: 'userName sw "a"', startIndex: 11, count: 5 },
    },
    { name: 'an empty excludedAttributes does not conflict with attributes', query: { attributes: 'userName', excludedAttributes: '' }, expected: { attributes: ['userName'] } },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(parseListQuery(c.query, limits), { ...defaults, ...c.expected }));
  }

  it('uses the given default count and cap', () => {
    assert.equal(parseListQuery({}, { defaultCount: 20, maxCount: 50 }).count, 20);
    assert.equal(parseListQuery({ count: '70' }, { defaultCount: 20, maxCount: 50 }).count, 50);
  });
});

describe('parseListQuery: rejected parameters → 400', () => {
  const cases: { name: string; query: Record<string, unknown>; scimType: string; mentions: string }[] = [
    { name: 'startIndex not a number', query: { startIndex: 'abc' }, scimType: 'invalidValue', mentions: 'startIndex' },
    { name: 'startIndex with a fraction', query: { startIndex: '1.5' }, scimType: 'invalidValue', mentions: 'startIndex' },
    { name: 'startIndex a fractional number (.search)', query: { startIndex: 1.5 }, scimType: 'invalidValue', mentions: 'startIndex' },
    { name: 'count not a number', query: { count: 'ten' }, scimType: 'invalidValue', mentions: 'count' },
    { name: 'count in exponent notation', query: { count: '1e2' }, scimType: 'invalidValue', mentions: 'count' },
    { name: 'count a boolean (.search)', query: { count: true }, scimType: 'invalidValue', mentions: 'count' },
    { name: 'count given twice', query: { count: ['1', '2'] }, scimType: 'invalidValue', mentions: 'count' },
    { name: 'count given twice in different case', query: { count: '1', Count: '2' }, scimType: 'invalidValue', mentions: 'count' },
    { name: 'sortOrder neither ascending nor descending', query: { sortOrder: 'up' }, scimType: 'invalidValue', mentions: 'sortOrder' },
    { name: 'attributes and excludedAttributes together', query: { attributes: 'userName', excludedAttributes: 'emails' }, scimType: 'invalidValue', mentions: 'excludedAttributes' },
    { name: 'attributes as a number (.search)', query: { attributes: 5 }, scimType: 'invalidValue', mentions: 'attributes' },
    { name: 'filter as an object (.search)', query: { filter: { userName: 'a' } }, scimType: 'invalidFilter', mentions: 'filter' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => parseListQuery(c.query, limits),
        (error: unknown) =>
          error instanceof ScimError && error.status === 400 && error.scimType === c.scimType && error.detail.includes(c.mentions),
      );
    });
  }
});
