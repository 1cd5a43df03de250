import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIdEcho } from './okta.js';

describe('Okta compatibility rules (okta.md)', () => {
  it('§7.3 the group id echoed in a path-less rename is recognised', () => {
    assert.equal(isIdEcho('e9e30dba', 'e9e30dba'), true);
  });

  it('a different id, a differently cased id or a non-string is not an echo', () => {
    assert.equal(isIdEcho('other', 'e9e30dba'), false);
    assert.equal(isIdEcho('E9E30DBA', 'e9e30dba'), false);
    assert.equal(isIdEcho(42, 42), false);
    assert.equal(isIdEcho('x', undefined), false);
  });
});
