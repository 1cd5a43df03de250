import type { AccountRow } from '../db/schema.js';

/** Who is calling and where: everything a SCIM use case needs besides its input. */
export interface ScimContext {
  readonly account: AccountRow;
  readonly keyId: string;
  readonly keyName: string;
  /** The identity provider, guessed from the User-Agent (for the activity log). */
  readonly idp: string | null;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** `PUBLIC_URL` + `/scim/v2`: the base of every `meta.location`. */
  readonly baseUrl: string;
}

/** Names the IdP from its User-Agent, for the activity log and the console. */
export function identifyIdp(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent.toLowerCase();
  if (ua.includes('okta')) return 'Okta';
  // Entra's provisioning service and its validators identify as Microsoft / Azure AD.
  if (ua.includes('microsoft') || ua.includes('azure') || ua.includes('entra')) return 'Microsoft Entra ID';
  if (ua.includes('onelogin')) return 'OneLogin';
  if (ua.includes('jumpcloud')) return 'JumpCloud';
  if (ua.includes('google')) return 'Google Workspace';
  return userAgent.slice(0, 60);
}
