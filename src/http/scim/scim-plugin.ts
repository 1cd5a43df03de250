import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountsModule } from '../../accounts/accounts-module.js';
import type { ProvisioningModule } from '../../provisioning/provisioning-module.js';
import { ScimError, toErrorBody } from '../../scim/errors.js';
import { bearerAuth } from './bearer-auth.js';
import { registerDiscoveryRoutes } from './discovery-routes.js';
import { registerGroupsRoutes } from './groups-routes.js';
import { rateLimit, type RateLimitOptions } from './rate-limit.js';
import { recordRejection } from './record-rejection.js';
import { scimResponseHeaders } from './response-headers.js';
import { scimErrorFor, sendError } from './scim-errors.js';
import { sendScimError } from './scim-reply.js';
import { findUnstorable, rejectUnstorableText, unstorableText } from './text-guard.js';
import { registerUsersRoutes } from './users-routes.js';

export interface ScimPluginOptions {
  readonly accounts: AccountsModule;
  readonly provisioning: ProvisioningModule;
  /** `PUBLIC_URL` + `/scim/v2`. */
  readonly baseUrl: string;
  readonly bodyLimit: number;
  readonly rateLimit: RateLimitOptions;
}

export const LIST_LIMITS = { defaultCount: 100, maxCount: 1000 } as const;

/** Paths this plugin serves and the methods each allows, for 405 answers (RFC 7231 §6.5.5). */
const ALLOWED_METHODS: readonly [RegExp, string][] = [
  [/^\/(Users|Groups)\/?$/, 'GET, POST'],
  [/^\/(Users|Groups)\/\.search$/, 'POST'],
  [/^\/(Users|Groups)\/[^/]+$/, 'GET, PUT, PATCH, DELETE'],
  [/^\/(ServiceProviderConfig|ResourceTypes|Schemas)(\/.*)?$/, 'GET'],
];

/** The /scim/v2 context: SCIM media types, bearer auth, SCIM errors everywhere. */
export async function scimPlugin(app: FastifyInstance, options: ScimPluginOptions): Promise<void> {
  // RFC 7644 §3.1: bodies are application/scim+json; Okta's tests send application/json too
  // (okta.md §1). Both go through Fastify's JSON parser, which rejects __proto__/constructor
  // keys, then through the unstorable-text check (text-guard.ts). DELETE may carry an empty
  // body with a JSON content type (Entra, style.md §7).
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/scim+json'], { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && request.method === 'DELETE') return done(null, undefined);
    return json(request, typeof body === 'string' ? body : body.toString('utf8'), (error, parsed) => {
      const where = error ? undefined : findUnstorable(parsed, 'body');
      return where === undefined ? done(error, parsed) : done(unstorableText(where), undefined);
    });
  });

  app.addHook('onRequest', scimResponseHeaders);
  app.addHook('onRequest', bearerAuth(options.accounts, options.baseUrl));
  app.addHook('onRequest', rateLimit(app, options.rateLimit));
  app.addHook('preValidation', rejectUnstorableText);

  app.setErrorHandler(async (error: Error, request: FastifyRequest, reply: FastifyReply) => {
    const scimError = scimErrorFor(request, error, options.bodyLimit);
    // Logged before answering, so whoever reads the activity log after the response sees it.
    await recordRejection(options.provisioning, request, scimError);
    return sendError(reply, scimError);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = (request.url.split('?')[0] ?? '').replace(/^\/scim\/v2/, '');
    if (/^\/Bulk\/?$/.test(path)) {
      return sendScimError(reply, 501, toErrorBody(new ScimError(501, undefined, 'Bulk operations are not supported by Roster (see /ServiceProviderConfig).')));
    }
    const allowed = ALLOWED_METHODS.find(([pattern]) => pattern.test(path));
    if (allowed) {
      reply.header('allow', allowed[1]);
      return sendScimError(reply, 405, toErrorBody(new ScimError(405, undefined, `${request.method} is not allowed on ${path}; allowed: ${allowed[1]}.`)));
    }
    return sendScimError(reply, 404, toErrorBody(new ScimError(404, undefined, `No SCIM endpoint at ${path}. Endpoints: /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas.`)));
  });

  registerDiscoveryRoutes(app, { baseUrl: options.baseUrl, maxResults: LIST_LIMITS.maxCount, maxPayloadSize: options.bodyLimit });
  registerUsersRoutes(app, options.provisioning, LIST_LIMITS);
  registerGroupsRoutes(app, options.provisioning, LIST_LIMITS);
}
