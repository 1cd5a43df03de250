import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type AppErrorCode } from '../../shared/app-error.js';

const STATUS: Readonly<Record<AppErrorCode, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
};

/** The console API's error body: `{ "error": { "code", "message" } }`. */
export function sendApiError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } });
}

/** Maps product errors, validation failures and the unexpected to JSON errors. */
export function apiErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) return sendApiError(reply, STATUS[error.code], error.code, error.message);
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return sendApiError(reply, 400, 'invalid', `Invalid request: ${error.message}.`);
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendApiError(reply, 415, 'unsupported_media_type', 'Send the request body as application/json.');
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return sendApiError(reply, status, 'invalid', error.message);
  request.log.error({ err: error }, 'console API request failed');
  return sendApiError(reply, 500, 'internal', 'Something went wrong on our side. Try again; if it keeps failing, check the server log.');
}
