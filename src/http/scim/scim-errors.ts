import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ScimError, toErrorBody } from '../../scim/errors.js';
import { sendScimError } from './scim-reply.js';

/**
 * Fastify's own errors (body parsing, size, media type) in SCIM terms, so an IdP always gets
 * an RFC 7644 §3.12 body it can show its admin.
 */
export function toScimError(error: FastifyError | Error, bodyLimit: number): ScimError | undefined {
  if (error instanceof ScimError) return error;
  const code = 'code' in error ? error.code : undefined;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ScimError(415, undefined, 'Unsupported Content-Type: send the request body as application/scim+json or application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ScimError(413, undefined, `The request body is larger than the limit of ${bodyLimit} bytes.`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ScimError(400, 'invalidSyntax', 'The request body is empty; a JSON object was expected.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ScimError(400, 'invalidSyntax', `The request body is not valid JSON: ${error.message}`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ScimError(400, 'invalidSyntax', 'The Content-Length header does not match the body.');
    default:
      break;
  }
  // secure-json-parse reports syntax errors and forbidden __proto__/constructor keys with 400.
  if ('statusCode' in error && error.statusCode === 400) {
    return new ScimError(400, 'invalidSyntax', `The request body is not acceptable JSON: ${error.message}`);
  }
  return undefined;
}

/**
 * The SCIM error to answer for `error`. Anything unexpected is logged (with its cause) and
 * becomes a generic 500 that names the request id, never the internals.
 */
export function scimErrorFor(request: FastifyRequest, error: Error, bodyLimit: number): ScimError {
  const scimError = toScimError(error, bodyLimit);
  if (scimError) return scimError;
  request.log.error({ err: error }, 'unexpected error in a SCIM request');
  return new ScimError(500, undefined, `Roster could not complete the request because of an internal error (request id ${request.id}). It has been logged.`);
}

export function sendError(reply: FastifyReply, error: ScimError): FastifyReply {
  return sendScimError(reply, error.status, toErrorBody(error));
}

/**
 * Fastify's `frameworkErrors`: URL errors found before any route or plugin runs. Under /scim/
 * they become SCIM errors: an id longer than the router accepts is an unknown id (404; okta.md
 * §4: an id that cannot parse is a 404, never a 400/500) and malformed percent-encoding is a
 * 400. Elsewhere Fastify's own answer is kept.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  if (!request.url.startsWith('/scim/')) {
    reply.code(status).send({ error: 'Bad Request', code: error.code, message: error.message, statusCode: status });
    return;
  }
  // These answers bypass the SCIM plugin's hooks, so its headers are set here (response-headers.ts).
  reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
  const scimError =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ScimError(404, undefined, 'No resource with this id exists in this account: the id is longer than any id Roster issues.')
      : new ScimError(400, 'invalidSyntax', 'The request URL is not valid: it contains a malformed percent-encoded character.');
  sendError(reply, scimError);
}
