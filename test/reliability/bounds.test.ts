import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildRosterServer } from '../../src/app.js';
import { scimClient, type ScimClient, type TestResponse } from '../helpers/http-client.js';
import { describeEachDatabase, TEST_PUBLIC_URL } from '../helpers/test-server.js';
import { assertScimError, GROUP_SCHEMA, oktaUser, patchOp, USER_SCHEMA } from './fixtures.js';

/**
 * Every input has a bound (style.md rule 15), and crossing it is a clear SCIM 4xx, never a
 * 5xx, a stack overflow or a polluted prototype. The server runs in this process, so a
 * polluted Object.prototype would be visible to these assertions.
 */
describeEachDatabase('reliability: input bounds and hostile input', (server) => {
  const apps: FastifyInstance[] = [];
  after(async () => {
    for (const app of apps) await app.close();
  });

  async function account(): Promise<ScimClient> {
    return scimClient(server().url, (await server().createAccount({ seats: 1000 })).apiKey);
  }

  function assertNotPolluted(): void {
    const probe: Record<string, unknown> = {};
    for (const key of ['polluted', 'isAdmin', 'toString2']) assert.equal(probe[key], undefined, `Object.prototype.${key} was polluted`);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  }

  it('a body over the default 1 MB limit → 413 SCIM error naming the limit, and nothing is stored', async () => {
    const scim = await account();
    const big = oktaUser('big@example.com', { title: 'x'.repeat(1_100_000) });
    const refused = await scim.post('/Users', big);
    assertScimError(refused, 413);
    assert.match(refused.body.detail, /larger than the limit of 1048576 bytes/);
    assert.equal((await scim.get('/Users')).body.totalResults, 0);
  });

  it('ROSTER_BODY_LIMIT is honoured, also for a chunked body without Content-Length', async () => {
    const app = await buildRosterServer(server().roster, { publicUrl: TEST_PUBLIC_URL, bodyLimitBytes: 2048, logLevel: false });
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const { apiKey } = await server().createAccount({ seats: 10 });
    const scim = scimClient(url, apiKey);
    assert.equal((await scim.post('/Users', oktaUser('small@example.com'))).status, 201);
    const refused = await scim.post('/Users', oktaUser('large@example.com', { title: 'y'.repeat(3000) }));
    assertScimError(refused, 413);
    assert.match(refused.body.detail, /2048 bytes/);
    const body = JSON.stringify(oktaUser('chunked@example.com', { title: 'z'.repeat(3000) }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(body);
        for (let i = 0; i < bytes.length; i += 500) controller.enqueue(bytes.slice(i, i + 500));
        controller.close();
      },
    });
    const chunked = await fetch(`${url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/scim+json' },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    assert.equal(chunked.status, 413);
    assert.equal(((await chunked.json()) as { status: string }).status, '413');
    assert.equal((await scim.get('/Users?filter=userName eq "chunked@example.com"')).body.totalResults, 0);
  });

  it('long and deeply nested filters → 400 invalidFilter, never a stack overflow', async () => {
    const scim = await account();
    const cases: [string, string][] = [
      ['5,000 characters', `userName eq "${'a'.repeat(5000)}"`],
      ['100,000 characters (in a .search body)', `userName eq "${'a'.repeat(100_000)}"`],
      ['10,000 nested parentheses', `${'('.repeat(10_000)}userName eq "a"${')'.repeat(10_000)}`],
      ['10,000 nested "not"', `${'not ('.repeat(10_000)}userName eq "a"${')'.repeat(10_000)}`],
      ['nested value filters', `emails[${'type eq "a" and ('.repeat(2000)}value eq "x"${')'.repeat(2000)}]`],
      ['2,000 "or" terms', Array.from({ length: 2000 }, (_, i) => `userName eq "u${i}"`).join(' or ')],
      ['an unterminated string', `userName eq "${'\\"'.repeat(3000)}`],
    ];
    for (const [name, filter] of cases) {
      const response = filter.length > 6000 ? await scim.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter }) : await scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
      assertScimError(response, 400, 'invalidFilter');
      assert.ok(response.body.detail.length < 1000, `${name}: the detail does not echo the whole filter`);
    }
    const groups = await scim.get(`/Groups?filter=${encodeURIComponent(`${'('.repeat(500)}displayName eq "a"${')'.repeat(500)}`)}`);
    assertScimError(groups, 400, 'invalidFilter');
  });

  it('more PATCH operations than the limit → 400, and none is applied', async () => {
    const scim = await account();
    const created = await scim.post('/Users', oktaUser('ops@example.com'));
    const operations = Array.from({ length: 1001 }, (_, i) => ({ op: 'replace', path: 'title', value: `T${i}` }));
    const refused = await scim.patch(`/Users/${created.body.id}`, patchOp(...operations));
    assertScimError(refused, 400);
    assert.match(refused.body.detail, /at most 1000/);
    assert.equal((await scim.get(`/Users/${created.body.id}`)).body.title, undefined);
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ops' });
    assertScimError(await scim.patch(`/Groups/${team.body.id}`, patchOp(...operations.map(() => ({ op: 'replace', path: 'displayName', value: 'x' })))), 400);
  });

  it('over-long attribute values and too many values → 400 invalidValue', async () => {
    const scim = await account();
    assertScimError(await scim.post('/Users', oktaUser(`${'u'.repeat(2000)}@example.com`)), 400, 'invalidValue');
    assertScimError(await scim.post('/Users', oktaUser('long@example.com', { title: 't'.repeat(5000) })), 400, 'invalidValue');
    const emails = Array.from({ length: 500 }, (_, i) => ({ value: `e${i}@example.com`, type: `t${i}` }));
    assertScimError(await scim.post('/Users', oktaUser('many@example.com', { emails })), 400, 'invalidValue');
    assertScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g'.repeat(5000) }), 400, 'invalidValue');
    // 100,000 levels of nesting in 700 KB: parsed iteratively, then refused by depth, not by a crash.
    const deepUser = JSON.stringify(oktaUser('deep@example.com', { title: '<deep>' }));
    for (const [open, close] of [['{"a":', '}'], ['[', ']']] as const) {
      const rawBody = deepUser.replace('"<deep>"', `${open.repeat(100_000)}1${close.repeat(100_000)}`);
      const response = await scim.send('POST', '/Users', { rawBody, headers: { 'content-type': 'application/scim+json' } });
      assertScimError(response, 400);
      const team = await scim.send('POST', '/Groups', { rawBody: rawBody.replace(USER_SCHEMA, GROUP_SCHEMA).replace('"userName"', '"displayName"'), headers: { 'content-type': 'application/scim+json' } });
      assertScimError(team, 400);
      const id = (await scim.post('/Users', oktaUser('patched@example.com'))).body.id as string;
      const patch = await scim.send('PATCH', `/Users/${id}`, {
        rawBody: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"title","value":${open.repeat(100_000)}1${close.repeat(100_000)}}]}`,
        headers: { 'content-type': 'application/scim+json' },
      });
      assertScimError(patch, 400);
      assert.equal((await scim.delete(`/Users/${id}`)).status, 204);
    }
    assert.equal((await scim.get('/Users')).body.totalResults, 0);
  });

  it('NUL characters and unpaired surrogates → 400 invalidValue on both databases (PostgreSQL cannot store U+0000)', async () => {
    const scim = await account();
    const bodies: [string, unknown][] = [
      ['userName', oktaUser('nul\u0000@example.com')],
      ['externalId', oktaUser('ext@example.com', { externalId: '00u\u0000' })],
      ['an email', oktaUser('mail@example.com', { emails: [{ value: 'a\u0000@example.com', primary: true }] })],
      ['a key', { ...oktaUser('key@example.com'), ['ti\u0000tle']: 'x' }],
      ['a lone surrogate', oktaUser('surrogate\uD800@example.com')],
    ];
    for (const [name, body] of bodies) {
      const response = await scim.post('/Users', body);
      assertScimError(response, 400, 'invalidValue');
      assert.match(response.body.detail, /NUL character \(U\+0000\) or an invalid UTF-16 surrogate at body\./, name);
    }
    assertScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Team\u0000' }), 400, 'invalidValue');
    assertScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Team', members: [{ value: '\u0000' }] }), 400, 'invalidValue');
    const created = await scim.post('/Users', oktaUser('clean@example.com', { title: 'emoji 🎉 stay' }));
    assert.equal(created.status, 201, 'a well-formed surrogate pair is fine');
    assertScimError(await scim.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'x\u0000' })), 400, 'invalidValue');
    assertScimError(await scim.get('/Users/%00'), 400, 'invalidValue');
    assertScimError(await scim.get('/Groups/abc%00'), 400, 'invalidValue');
    assertScimError(await scim.delete('/Users/%00'), 400, 'invalidValue');
    assertScimError(await scim.get(`/Users?filter=${encodeURIComponent('userName eq "a\u0000"')}`), 400);
    assert.equal((await scim.get('/Users')).body.totalResults, 1);
  });

  it('indexed user values over 2,000 UTF-8 bytes → 400 invalidValue, not a database error', async () => {
    const scim = await account();
    // 1,000 characters outside the Basic Multilingual Plane: within the 1,024-character limit, 4,000 bytes.
    const astral = (seed: number) => Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x20000 + ((i * 7919 + seed) % 40000))).join('');
    for (const [name, body] of [
      ['userName', oktaUser(astral(1))],
      ['externalId', oktaUser('ext.long@example.com', { externalId: astral(2) })],
      ['emails[0].value', oktaUser('mail.long@example.com', { emails: [{ value: astral(3), primary: true }] })],
    ] as const) {
      const response = await scim.post('/Users', body);
      assertScimError(response, 400, 'invalidValue');
      assert.match(response.body.detail, new RegExp(`"${name.replace(/[[\]]/g, '\\$&')}" is too long`));
    }
    const created = await scim.post('/Users', oktaUser('fits@example.com', { displayName: astral(4), title: astral(5) }));
    assert.equal(created.status, 201, 'unindexed attributes keep the 1,024-character limit');
    assertScimError(await scim.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'externalId', value: astral(6) })), 400, 'invalidValue');
  });

  it('team names and externalIds over 2,000 UTF-8 bytes → 400, not a database error', async () => {
    const scim = await account();
    const astral = Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x20000 + ((i * 7919) % 40000))).join('');
    assertScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: astral }), 400, 'invalidValue');
    assertScimError(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Long external', externalId: astral }), 400, 'invalidValue');
  });

  it('an over-long id in the URL is an unknown id (404) and a malformed URL a 400, both SCIM errors', async () => {
    const scim = await account();
    // Okta probes ids that are not ours; one that cannot parse must be a 404, never a 400/500 (okta.md §4).
    for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) {
      const response = await scim.send(method, `/Users/${'a'.repeat(300)}`, method === 'GET' || method === 'DELETE' ? {} : { body: patchOp() });
      assertScimError(response, 404);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    }
    assertScimError(await scim.get(`/Groups/${'b'.repeat(101)}`), 404);
    assertScimError(await scim.get('/Users/%E0%A4%A'), 400, 'invalidSyntax');
    const outside = await fetch(`${server().url}/api/${'c'.repeat(300)}`);
    assert.notEqual(outside.headers.get('content-type'), 'application/scim+json; charset=utf-8', 'non-SCIM URLs keep Fastify\'s own answer');
  });

  it('a huge or negative count and startIndex are clamped, not errors', async () => {
    const scim = await account();
    for (let i = 0; i < 3; i += 1) await scim.post('/Users', oktaUser(`page.${i}@example.com`));
    const huge = await scim.get('/Users?count=99999999999999999999999');
    assert.equal(huge.status, 200, huge.text);
    assert.equal(huge.body.itemsPerPage, 3);
    const negative = await scim.get('/Users?count=-5');
    assert.equal(negative.status, 200);
    assert.equal(negative.body.Resources?.length ?? 0, 0);
    assert.equal(negative.body.totalResults, 3);
    for (const query of ['startIndex=99999999999999999999999', 'startIndex=9007199254740991&count=1000', 'startIndex=-99999999999999999999']) {
      const response = await scim.get(`/Users?${query}`);
      assert.equal(response.status, 200, `${query}: ${response.text}`);
      assert.equal(response.body.totalResults, 3);
    }
    const search = await scim.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], startIndex: 1e300, count: 1e300 });
    assert.equal(search.status, 200, search.text);
    assert.equal(search.body.totalResults, 3);
    const groups = await scim.get('/Groups?count=99999999999999999999999&startIndex=99999999999999999999999');
    assert.equal(groups.status, 200, groups.text);
    const limited = await scim.get('/Users?count=5000');
    assert.ok(limited.body.itemsPerPage <= 1000);
    assertScimError(await scim.get('/Users?count=1e3'), 400, 'invalidValue');
  });

  it('__proto__ and constructor keys in bodies cannot pollute anything', async () => {
    const scim = await account();
    const bodies = [
      `{"schemas":["${USER_SCHEMA}"],"userName":"p1@example.com","__proto__":{"polluted":true}}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"p2@example.com","name":{"__proto__":{"polluted":true}}}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"p3@example.com","constructor":{"prototype":{"polluted":true}}}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"p4@example.com","emails":[{"value":"a@b.c","__proto__":{"isAdmin":true}}]}`,
    ];
    for (const rawBody of bodies) {
      const response = await scim.send('POST', '/Users', { rawBody, headers: { 'content-type': 'application/scim+json' } });
      assertScimError(response, 400, 'invalidSyntax');
      assertNotPolluted();
    }
    assert.equal((await scim.get('/Users')).body.totalResults, 0);
  });

  it('__proto__, constructor and prototype in PATCH paths, filters and query parameters are refused or ignored', async () => {
    const scim = await account();
    const created = await scim.post('/Users', oktaUser('target@example.com'));
    const id: string = created.body.id;
    for (const path of ['__proto__.polluted', 'constructor.prototype.polluted', 'name.__proto__', 'emails[type eq "work"].__proto__', `${USER_SCHEMA}:__proto__`, 'prototype']) {
      const response = await scim.patch(`/Users/${id}`, patchOp({ op: 'add', path, value: { polluted: true } }));
      assert.equal(response.status, 400, `${path}: ${response.text}`);
      assertNotPolluted();
    }
    const pathless = await scim.send('PATCH', `/Users/${id}`, {
      rawBody: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":true}}}]}`,
      headers: { 'content-type': 'application/scim+json' },
    });
    assertScimError(pathless, 400, 'invalidSyntax');
    for (const filter of ['__proto__ eq "x"', 'constructor.prototype pr', 'emails[__proto__ eq "x"]']) {
      assertScimError(await scim.get(`/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    }
    const query = await scim.get('/Users?__proto__[polluted]=1&constructor[prototype][polluted]=1&attributes=__proto__');
    assert.ok([200, 400].includes(query.status), query.text);
    assertNotPolluted();
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Proto' });
    const groupPatch = await scim.patch(`/Groups/${team.body.id}`, patchOp({ op: 'add', path: 'members[__proto__ eq "x"].value', value: 'y' }));
    assert.equal(groupPatch.status, 400, groupPatch.text);
    assertNotPolluted();
    const user = await scim.get(`/Users/${id}`);
    assert.equal(user.body.polluted, undefined);
    assert.equal(user.body.meta.version, created.body.meta.version, 'no refused request changed the user');
  });

  it('SCIM responses carry nosniff and no-store, and no X-Powered-By or Server header', async () => {
    const scim = await account();
    const created = await scim.post('/Users', oktaUser('headers@example.com'));
    const responses: [string, TestResponse][] = [
      ['201', created],
      ['200', await scim.get(`/Users/${created.body.id}`)],
      ['204', await scim.delete(`/Users/${created.body.id}`)],
      ['404', await scim.get('/Users/nope')],
      ['400', await scim.get('/Users?filter=(')],
      ['401', await scimClient(server().url, 'rk_nope').get('/Users')],
      ['405', await scim.send('DELETE', '/Users')],
      ['413', await scim.post('/Users', oktaUser('x@example.com', { title: 'x'.repeat(1_100_000) }))],
      ['discovery', await scim.get('/ServiceProviderConfig')],
    ];
    for (const [name, response] of responses) {
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', name);
      assert.equal(response.headers.get('cache-control'), 'no-store', name);
      assert.equal(response.headers.get('x-powered-by'), null, name);
      assert.equal(response.headers.get('server'), null, name);
    }
  });
});
