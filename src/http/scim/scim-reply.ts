import type { FastifyReply } from 'fastify';
import type { ErrorBody } from '../../scim/errors.js';

/** RFC 7644 §8.1: SCIM responses are `application/scim+json`. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The response media type. Entra's validator requires application/scim+json (entra-onelogin-
 * jumpcloud.md §1); one revision of OneLogin's guide requires application/json (§7.1). A client
 * that accepts only application/json gets it; every other client gets application/scim+json.
 */
function contentTypeFor(accept: string | undefined): string {
  if (!accept) return SCIM_CONTENT_TYPE;
  // An identity provider sends the same Accept on every request: parse it once.
  if (accept !== lastAccept) {
    const types = accept.toLowerCase().split(',').map((t) => t.split(';')[0]?.trim());
    lastContentType = types.includes('application/json') && !types.includes('application/scim+json') && !types.includes('*/*') ? JSON_CONTENT_TYPE : SCIM_CONTENT_TYPE;
    lastAccept = accept;
  }
  return lastContentType;
}

let lastAccept: string | undefined;
let lastContentType = SCIM_CONTENT_TYPE;

export function sendScim(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return sendScimJson(reply, status, JSON.stringify(body));
}

/** A SCIM body already serialized. */
export function sendScimJson(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).header('content-type', contentTypeFor(reply.request.headers.accept)).send(json);
}

export function sendScimError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return sendScim(reply, status, body);
}
