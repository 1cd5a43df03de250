import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleSessionsModule } from '../../accounts/console-sessions-module.js';
import { SESSION_TTL_MS } from '../../accounts/console-sessions-service.js';
import { sendApiError } from './admin-errors.js';

/** The session cookie: HttpOnly, SameSite=Strict, Secure whenever the console is served over HTTPS. */
export const SESSION_COOKIE = 'roster_session';
/** Writes must echo the session's CSRF token in this header (the cookie alone is not enough). */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSecureRequest(request: FastifyRequest, publicUrl: string): boolean {
  return request.protocol === 'https' || publicUrl.startsWith('https:');
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, publicUrl: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: isSecureRequest(request, publicUrl),
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, publicUrl: string): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: isSecureRequest(request, publicUrl) });
}

/**
 * The console API's gate, run on every non-public route: a valid session cookie (401
 * otherwise) and, on writes, the session's CSRF token in `X-CSRF-Token` (403 otherwise).
 */
export function requireSession(sessions: ConsoleSessionsModule) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const session = await sessions.authenticate(request.cookies[SESSION_COOKIE]);
    if (!session) return sendApiError(reply, 401, 'unauthorized', 'Sign in to the Roster console to continue.');
    if (!SAFE_METHODS.has(request.method)) {
      const presented = request.headers[CSRF_HEADER];
      if (typeof presented !== 'string' || !sessions.csrfTokenMatches(session, presented)) {
        return sendApiError(reply, 403, 'csrf', 'The request is missing its security token. Reload the page and try again.');
      }
    }
    request.consoleSession = session;
    return undefined;
  };
}
