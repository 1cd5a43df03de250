import type { FastifyRequest } from 'fastify';
import type { ConsoleSession } from '../../accounts/console-sessions-service.js';
import type { AdminDependencies } from './admin-dependencies.js';
import { sessionOf, type AdminRoute, type JsonSchema } from './admin-route.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './session-auth.js';

export const SESSION_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['account', 'user', 'csrfToken', 'expiresAt'],
  properties: {
    account: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, plan: { type: 'string', enum: ['essentials', 'professional', 'enterprise'] } } },
    user: { type: 'object', properties: { id: { type: 'string' }, email: { type: 'string' }, name: { type: ['string', 'null'] }, role: { type: 'string', enum: ['owner', 'admin'] } } },
    csrfToken: { type: 'string', description: 'Send it back in the X-CSRF-Token header of every POST, PATCH and DELETE.' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
};

function sessionBody(session: ConsoleSession) {
  return {
    account: { id: session.accountId, name: session.accountName, plan: session.plan },
    user: { id: session.memberId, email: session.email, name: session.displayName, role: session.role },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

interface SignInBody {
  readonly email: string;
  readonly password: string;
}

/** Sign in, who am I, sign out. */
export function sessionRoutes(deps: AdminDependencies): AdminRoute[] {
  return [
    {
      method: 'POST',
      url: '/session',
      operationId: 'signIn',
      summary: 'Sign in with the email and password of an account owner or admin; sets the session cookie.',
      tag: 'Session',
      public: true,
      body: {
        type: 'object',
        required: ['email', 'password'],
        additionalProperties: false,
        properties: { email: { type: 'string', minLength: 1, maxLength: 254 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      response: { status: 200, description: 'Signed in. The `roster_session` cookie is set (HttpOnly, SameSite=Strict).', schema: SESSION_SCHEMA },
      errors: [400, 401, 415, 429],
      handler: async (request: FastifyRequest, reply) => {
        const body = request.body as SignInBody;
        const { token, session } = await deps.sessions.signIn({ email: body.email, password: body.password, ip: request.ip });
        setSessionCookie(request, reply, token, deps.publicUrl);
        return sessionBody(session);
      },
    },
    {
      method: 'GET',
      url: '/session',
      operationId: 'getSession',
      summary: 'The signed-in user, their account and the CSRF token for writes.',
      tag: 'Session',
      response: { status: 200, description: 'The current session.', schema: SESSION_SCHEMA },
      handler: async (request) => sessionBody(sessionOf(request)),
    },
    {
      method: 'DELETE',
      url: '/session',
      operationId: 'signOut',
      summary: 'Sign out: ends the session on the server and clears the cookie.',
      tag: 'Session',
      response: { status: 204, description: 'Signed out.' },
      handler: async (request, reply) => {
        await deps.sessions.signOut(request.cookies[SESSION_COOKIE]);
        clearSessionCookie(request, reply, deps.publicUrl);
        return reply.code(204).send();
      },
    },
  ];
}
