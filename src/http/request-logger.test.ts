import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { deferredChildLoggerFactory } from './request-logger.js';

/** A Fastify app whose request loggers come from the deferred factory, logging into `lines`. */
async function appLoggingAt(level: string, lines: Record<string, unknown>[]) {
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  const app = Fastify({ logger: { level, stream }, childLoggerFactory: deferredChildLoggerFactory, genReqId: () => 'req-42' });
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/level', async (request) => ({ level: request.log.level }));
  app.get('/warns', async (request) => {
    request.log.info('not at warn');
    request.log.warn({ detail: 'x' }, 'something to look at');
    request.log.child({ step: 'inner' }).error('from a grandchild');
    return { ok: true };
  });
  await app.ready();
  return app;
}

describe('request loggers made when first used', () => {
  it('at warn, lines a request logs carry its request id, and lines below the level are dropped', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = await appLoggingAt('warn', lines);
    assert.equal((await app.inject({ url: '/quiet' })).statusCode, 200);
    assert.deepEqual(lines, [], 'a request that logs nothing at warn prints nothing');
    assert.equal((await app.inject({ url: '/warns' })).statusCode, 200);
    await app.close();
    assert.deepEqual(
      lines.map((line) => [line['msg'], line['reqId'], line['detail'], line['step']]),
      [
        ['something to look at', 'req-42', 'x', undefined],
        ['from a grandchild', 'req-42', undefined, 'inner'],
      ],
    );
  });

  it("at info, Fastify's request lines carry the request id", async () => {
    const lines: Record<string, unknown>[] = [];
    const app = await appLoggingAt('info', lines);
    await app.inject({ url: '/quiet' });
    await app.close();
    const requestLines = lines.filter((line) => line['msg'] === 'incoming request' || line['msg'] === 'request completed');
    assert.equal(requestLines.length, 2);
    for (const line of requestLines) assert.equal(line['reqId'], 'req-42');
  });

  it("a request logger reports its parent's level without logging", async () => {
    const lines: Record<string, unknown>[] = [];
    const app = await appLoggingAt('error', lines);
    const reply = await app.inject({ url: '/level' });
    await app.close();
    assert.deepEqual(reply.json(), { level: 'error' });
    assert.deepEqual(lines, []);
  });
});
