import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScimType } from '../errors.js';
import { MAX_PATCH_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from './parse-patch-request.js';
import { assertScimError, patchBody } from './test-fixtures.js';

describe('parsePatchRequest: the PatchOp envelope (RFC 7644 §3.5.2)', () => {
  it('lower-cases op in any letter case: Entra sends "Replace", "Add", "Remove" (entra-onelogin-jumpcloud.md §1)', () => {
    const ops = parsePatchRequest(
      patchBody(
        { op: 'Replace', path: 'userName', value: 'a@b.c' },
        { op: 'Add', path: 'nickName', value: 'Babs' },
        { op: 'Remove', path: 'title' },
        { op: 'REPLACE', value: { active: false } },
        { op: 'add', path: 'title', value: 'x' },
      ),
    );
    assert.deepEqual(
      ops.map((o) => o.op),
      ['replace', 'add', 'remove', 'replace', 'add'],
    );
    assert.deepEqual(
      ops.map((o) => o.index),
      [1, 2, 3, 4, 5],
    );
  });

  it('accepts an empty Operations list as a no-op (Entra, entra-onelogin-jumpcloud.md §3.5)', () => {
    assert.deepEqual(parsePatchRequest(patchBody()), []);
  });

  it('keeps path and value as sent, and reads an empty path as no path', () => {
    const [withPath, emptyPath] = parsePatchRequest(
      patchBody({ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.z' }, { op: 'replace', path: '', value: { active: false } }),
    );
    assert.deepEqual(withPath, { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.z', index: 1 });
    assert.deepEqual(emptyPath, { op: 'replace', path: undefined, value: { active: false }, index: 2 });
  });

  it('accepts "value": null on replace (Entra clearing test, entra-onelogin-jumpcloud.md §3.5)', () => {
    const [op] = parsePatchRequest(patchBody({ op: 'replace', path: 'title', value: null }));
    assert.equal(op?.value, null);
  });

  it(`accepts ${MAX_PATCH_OPERATIONS} operations`, () => {
    const ops = Array.from({ length: MAX_PATCH_OPERATIONS }, () => ({ op: 'add', path: 'members', value: [{ value: 'u' }] }));
    assert.equal(parsePatchRequest(patchBody(...ops)).length, MAX_PATCH_OPERATIONS);
  });

  const rejected: { name: string; body: unknown; scimType: ScimType }[] = [
    { name: 'a null body', body: null, scimType: 'invalidSyntax' },
    { name: 'a JSON array body', body: [{ op: 'add' }], scimType: 'invalidSyntax' },
    { name: 'a string body', body: 'op=add', scimType: 'invalidSyntax' },
    { name: 'a body with a non-JSON value', body: { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'title', value: Number.NaN }] }, scimType: 'invalidSyntax' },
    { name: 'no schemas', body: { Operations: [] }, scimType: 'invalidValue' },
    { name: 'the User schema instead of PatchOp', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }, scimType: 'invalidValue' },
    { name: 'PatchOp plus another schema', body: { schemas: [PATCH_OP_SCHEMA, 'urn:example'], Operations: [] }, scimType: 'invalidValue' },
    { name: 'schemas as a string', body: { schemas: PATCH_OP_SCHEMA, Operations: [] }, scimType: 'invalidValue' },
    { name: 'no Operations', body: { schemas: [PATCH_OP_SCHEMA] }, scimType: 'invalidValue' },
    { name: 'Operations as an object', body: { schemas: [PATCH_OP_SCHEMA], Operations: { op: 'add' } }, scimType: 'invalidValue' },
    { name: 'an operation that is not an object', body: patchBody('add'), scimType: 'invalidValue' },
    { name: 'an unknown op "move"', body: patchBody({ op: 'move', path: 'title', value: 'x' }), scimType: 'invalidValue' },
    { name: 'a missing op', body: patchBody({ path: 'title', value: 'x' }), scimType: 'invalidValue' },
    { name: 'a numeric op', body: patchBody({ op: 1, path: 'title', value: 'x' }), scimType: 'invalidValue' },
    { name: 'a remove without path (noTarget, RFC 7644 §3.5.2.2)', body: patchBody({ op: 'Remove', value: { title: 'x' } }), scimType: 'noTarget' },
    { name: 'an add without value', body: patchBody({ op: 'add', path: 'title' }), scimType: 'invalidValue' },
    { name: 'a replace without value', body: patchBody({ op: 'replace' }), scimType: 'invalidValue' },
    { name: 'a numeric path', body: patchBody({ op: 'add', path: 5, value: 'x' }), scimType: 'invalidPath' },
    {
      name: `more than ${MAX_PATCH_OPERATIONS} operations`,
      body: patchBody(...Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({ op: 'remove', path: 'title' }))),
      scimType: 'invalidValue',
    },
  ];
  for (const { name, body, scimType } of rejected) {
    it(`rejects ${name} with 400 ${scimType}`, () => {
      assertScimError(() => parsePatchRequest(body), 400, scimType);
    });
  }

  it('names the operation in the detail so the IdP admin can find it', () => {
    const error = assertScimError(() => parsePatchRequest(patchBody({ op: 'add', path: 'a', value: 1 }, { op: 'copy' })), 400, 'invalidValue');
    assert.match(error.detail, /operation 2/);
    assert.match(error.detail, /"copy"/);
  });
});
