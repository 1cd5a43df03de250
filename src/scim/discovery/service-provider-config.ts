/** The `/ServiceProviderConfig` document (RFC 7643 §5). */
import type { JsonObject } from '../json.js';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

export interface ServiceProviderConfigOptions {
  /** Page cap for list requests, advertised as `filter.maxResults`. */
  readonly maxResults: number;
  /**
   * The request body limit. Not advertised: RFC 7643 §5 only has `bulk.maxPayloadSize`, and
   * bulk is unsupported, so that field stays 0.
   */
  readonly maxPayloadSize: number;
  readonly etag: boolean;
  readonly documentationUri?: string | undefined;
}

/** What Roster supports: PATCH, filters, sorting; no bulk and no password change. */
export function serviceProviderConfig(baseUrl: string, options: ServiceProviderConfigOptions): JsonObject {
  const config: JsonObject = { schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA] };
  if (options.documentationUri !== undefined) config['documentationUri'] = options.documentationUri;
  return {
    ...config,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: options.etag },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'An account API key sent as "Authorization: Bearer <key>".',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}
