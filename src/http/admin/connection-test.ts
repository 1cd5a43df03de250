import type { FastifyInstance } from 'fastify';
import type { AdminDependencies } from './admin-dependencies.js';

/** What Okta's "Test API Credentials" sends (okta.md: GET /Users?startIndex=1&count=2). */
export const TEST_PATH = '/scim/v2/Users?startIndex=1&count=2';

export interface ConnectionTestResult {
  readonly ok: boolean;
  readonly httpStatus: number | null;
  readonly durationMs: number;
  readonly request: { readonly method: 'GET'; readonly url: string; readonly authorization: string };
  /** For a 200: the paging fields Okta reads. */
  readonly totalResults: number | null;
  readonly itemsPerPage: number | null;
  /** A sentence the admin can act on. */
  readonly detail: string;
}

/** `rk_3F9A2C1B…abcd`: enough to recognise a key, never the secret. */
export function maskKey(key: string): string {
  return key.length > 16 ? `${key.slice(0, 11)}…${key.slice(-4)}` : '(not a Roster key)';
}

function readBody(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function describe(status: number, body: Record<string, unknown>): string {
  if (status === 200) {
    const total = typeof body['totalResults'] === 'number' ? body['totalResults'] : 0;
    return `Connected: Roster answered 200 OK with a SCIM ListResponse (${total} ${total === 1 ? 'user' : 'users'} in the account). Okta's "Test API Credentials" will succeed with this key.`;
  }
  const detail = typeof body['detail'] === 'string' ? body['detail'] : '';
  if (status === 404) return 'The SCIM endpoint did not answer (404). Check that the base URL ends with /scim/v2.';
  return detail || `Roster answered HTTP ${status}.`;
}

/**
 * Sends Okta's credential test through the whole HTTP stack (routing, bearer auth, plan gate,
 * the Users list) in-process, so the result is what an IdP would get without depending on
 * PUBLIC_URL being reachable from this machine. A key of another account is not sent.
 */
export async function runConnectionTest(app: FastifyInstance, deps: AdminDependencies, accountId: string, apiKey: string): Promise<ConnectionTestResult> {
  const key = apiKey.trim().replace(/^bearer\s+/i, '');
  const request = { method: 'GET' as const, url: `${deps.publicUrl}${TEST_PATH}`, authorization: `Bearer ${maskKey(key)}` };
  const started = performance.now();
  const auth = await deps.accounts.authenticateApiKey(key, null);
  if (auth.ok && auth.account.id !== accountId) {
    const detail = 'This key belongs to a different Roster account. Paste a key of this account.';
    return { ok: false, httpStatus: null, durationMs: Math.round(performance.now() - started), request, totalResults: null, itemsPerPage: null, detail };
  }
  const response = await app.inject({
    method: 'GET',
    url: TEST_PATH,
    headers: { authorization: `Bearer ${key}`, accept: 'application/scim+json', 'user-agent': 'Roster console (Test connection)' },
  });
  const body = readBody(response.body);
  const ok = response.statusCode === 200 && Array.isArray(body['schemas']);
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    ok,
    httpStatus: response.statusCode,
    durationMs: Math.round(performance.now() - started),
    request,
    totalResults: ok ? number(body['totalResults']) : null,
    itemsPerPage: ok ? number(body['itemsPerPage']) : null,
    detail: describe(response.statusCode, body),
  };
}
