import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AccountsModule } from '../accounts/accounts-module.js';
import type { ProvisioningModule } from '../provisioning/provisioning-module.js';
import { registerAdminConsole, type AdminModules } from './admin/admin-plugin.js';
import { closeConnectionsWhenDraining } from './drain-on-close.js';
import { registerHealthRoutes } from './health-routes.js';
import { deferredChildLoggerFactory } from './request-logger.js';
import type { RateLimitOptions } from './scim/rate-limit.js';
import { answerFrameworkError } from './scim/scim-errors.js';
import { scimPlugin } from './scim/scim-plugin.js';

export interface ServerDependencies {
  readonly accounts: AccountsModule;
  readonly provisioning: ProvisioningModule;
  readonly admin: AdminModules;
  readonly checkReady: () => Promise<void>;
}

export interface ServerOptions {
  readonly publicUrl: string;
  readonly bodyLimitBytes: number;
  /** `false` silences logs (tests); otherwise a pino level. */
  readonly logLevel: string | false;
  readonly rateLimit: RateLimitOptions;
}

/** Paths pino must never print: credentials and key material. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'apiKey', 'key', 'password', '*.apiKey', '*.password'];

/** Builds the Fastify application: every HTTP route of Roster. */
export async function buildServer(deps: ServerDependencies, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel === false ? false : { level: options.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    childLoggerFactory: deferredChildLoggerFactory,
    bodyLimit: options.bodyLimitBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: true,
    frameworkErrors: answerFrameworkError,
  });
  closeConnectionsWhenDraining(app);
  registerHealthRoutes(app, deps.checkReady);
  await app.register(scimPlugin, {
    prefix: '/scim/v2',
    accounts: deps.accounts,
    provisioning: deps.provisioning,
    baseUrl: `${options.publicUrl}/scim/v2`,
    bodyLimit: options.bodyLimitBytes,
    rateLimit: options.rateLimit,
  });
  await registerAdminConsole(app, { ...deps.admin, accounts: deps.accounts, publicUrl: options.publicUrl });
  return app;
}
