import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AccountsModule } from '../../accounts/accounts-module.js';
import type { AuthenticationResult } from '../../accounts/api-keys-service.js';
import { PLANS } from '../../accounts/plans.js';
import { ScimError, toErrorBody } from '../../scim/errors.js';
import { identifyIdp, type ScimContext } from '../../provisioning/scim-context.js';
import { sendScimError } from './scim-reply.js';

declare module 'fastify' {
  interface FastifyRequest {
    scim?: ScimContext;
  }
}

const REASONS = {
  missing: 'Authentication required: send the Roster API key as "Authorization: Bearer <key>". Find it under Account Settings → Integrations → API Access.',
  unknown: 'The API key is not valid. Copy the key again from Account Settings → Integrations → API Access (it starts with "rk_").',
  revoked: 'This API key has been revoked. Generate a new key under Account Settings → Integrations → API Access and paste it into your identity provider.',
  expired: 'This API key has expired after a rotation. Use the newer key from Account Settings → Integrations → API Access.',
} as const;

/**
 * `Authorization: Bearer <key>`. Okta's UI adds "Bearer " itself, some admins paste it too, and
 * some clients send the bare key (okta.md §1.1); all of those are accepted. Basic is not.
 */
function presentedKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const bearer = /^bearer\s+(?:bearer\s+)?(\S+)$/i.exec(trimmed);
  if (bearer) return bearer[1];
  return /^\S+$/.test(trimmed) ? trimmed : trimmed.split(/\s+/)[1] === undefined ? undefined : 'invalid';
}

/**
 * Resolves the key to its account and refuses non-Enterprise plans (SCIM is Enterprise-only).
 * A callback hook: a key answered from the cache (nearly every request) goes on at once,
 * without the promise an async hook costs (bench/README.md, finding 37).
 */
export function bearerAuth(accounts: AccountsModule, scimBaseUrl: string) {
  /** Sets the request's SCIM context, or answers 401/403 and returns false. */
  const admit = (request: FastifyRequest, reply: FastifyReply, result: AuthenticationResult): boolean => {
    if (!result.ok) {
      reply.header('www-authenticate', 'Bearer realm="SCIM"');
      sendScimError(reply, 401, toErrorBody(new ScimError(401, undefined, REASONS[result.reason])));
      return false;
    }
    const plan = PLANS[result.account.plan];
    if (!plan.scim) {
      const detail = `SCIM provisioning is available on the Enterprise plan only. ${result.account.name} is on the ${plan.label} plan: upgrade to Enterprise to connect an identity provider.`;
      sendScimError(reply, 403, toErrorBody(new ScimError(403, undefined, detail)));
      return false;
    }
    const query = request.url.indexOf('?');
    request.scim = {
      account: result.account,
      keyId: result.keyId,
      keyName: result.keyName,
      idp: identifyIdp(request.headers['user-agent']),
      requestId: request.id,
      method: request.method,
      path: query === -1 ? request.url : request.url.slice(0, query),
      baseUrl: scimBaseUrl,
    };
    return true;
  };
  // An answered request does not call done (Fastify's "respond from a hook").
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const key = presentedKey(request.headers.authorization);
    const cached = accounts.authenticateCachedApiKey(key);
    if (cached) {
      if (admit(request, reply, cached)) done();
      return;
    }
    // A failure to look the key up, or in admit, goes to done: Fastify's error handler answers.
    accounts
      .authenticateApiKey(key, request.ip)
      .then((result) => admit(request, reply, result))
      .then((admitted) => admitted && done(), done);
  };
}

/** The authenticated context; routes run only after `bearerAuth` set it. */
export function scimContext(request: FastifyRequest): ScimContext {
  if (!request.scim) throw new Error('SCIM route reached without authentication');
  return request.scim;
}
