import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newMemberId } from './member-ids.js';

it('member ids created one after another sort in creation order, so they sit together in the indexes', () => {
  const ids = Array.from({ length: 2_000 }, () => newMemberId());
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID of version 7, RFC 9562 variant');
});
