import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from './json.js';
import { LIST_RESPONSE_SCHEMA, listResponse, listResponseJson } from './list-response.js';

describe('listResponse', () => {
  it('an empty page still has Resources: [] and integer paging fields (Okta R3, R10)', () => {
    const body = listResponse([], 0, 1);
    assert.deepEqual(body, { schemas: [LIST_RESPONSE_SCHEMA], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    assert.equal(JSON.stringify(body), '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}');
  });

  it('itemsPerPage is the size of this page, totalResults the size of the whole result', () => {
    const body = listResponse([{ id: 'a' }, { id: 'b' }], 12, 11);
    assert.equal(body['itemsPerPage'], 2);
    assert.equal(body['totalResults'], 12);
    assert.equal(body['startIndex'], 11);
    assert.deepEqual(body['Resources'], [{ id: 'a' }, { id: 'b' }]);
  });

  it('as JSON text from serialized resources, is the text of the same ListResponse', () => {
    const pages: JsonObject[][] = [[], [{ id: 'a' }], [{ id: 'a', name: { givenName: 'A' } }, { id: 'b' }]];
    for (const resources of pages) {
      assert.equal(listResponseJson(resources.map((r) => JSON.stringify(r)), 12, 11), JSON.stringify(listResponse(resources, 12, 11)));
    }
  });
});
