import assert from 'node:assert/strict';
import { it } from 'node:test';
import { request } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';

describeEachDatabase('health endpoints', (server) => {
  it('GET /healthz answers 200 while the process runs', async () => {
    const response = await request(server().url, 'GET', '/healthz');
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ok');
  });

  it('GET /readyz answers 200 when the database is reachable', async () => {
    const response = await request(server().url, 'GET', '/readyz');
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ready');
  });
});
