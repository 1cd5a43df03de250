import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleSession } from '../../accounts/console-sessions-service.js';

/** A JSON Schema fragment (validated by Fastify's Ajv and published in the OpenAPI document). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * One operation of the console API. Routes are plain data so that the same list both
 * registers the Fastify routes and generates the OpenAPI description: they cannot drift.
 */
export interface AdminRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Fastify path under /api/v1, e.g. `/members/:id`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** Reachable without a session (sign-in, the OpenAPI document). */
  readonly public?: boolean;
  readonly params?: JsonSchema;
  readonly querystring?: JsonSchema;
  readonly body?: JsonSchema;
  readonly response: { readonly status: number; readonly description: string; readonly schema?: JsonSchema; readonly contentType?: string };
  /** Error statuses worth documenting besides 401/403 for session routes. */
  readonly errors?: readonly number[];
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
  }
}

/** The session of a request that passed the session hook (routes that are not public). */
export function sessionOf(request: FastifyRequest): ConsoleSession {
  const session = request.consoleSession;
  if (!session) throw new Error('session hook did not run');
  return session;
}

/** The signed-in member as the actor of a directory write. */
export function actorOf(request: FastifyRequest): { accountId: string; memberId: string } {
  const session = sessionOf(request);
  return { accountId: session.accountId, memberId: session.memberId };
}

// Shared schema pieces.
export const ID_PARAMS: JsonSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' } },
};

export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ['invalid', 'unauthorized', 'forbidden', 'csrf', 'not_found', 'conflict', 'too_many', 'unsupported_media_type', 'internal'] },
        message: { type: 'string', description: 'A sentence the admin can act on.' },
      },
    },
  },
};

export const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema['type'] as string, 'null'] });
