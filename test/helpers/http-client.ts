/** A response as tests inspect it: status, headers and the parsed JSON body (if any). */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  // Tests read arbitrary response fields; the assertions give them their meaning.
  readonly body: any;
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** A raw body sent as is (for malformed JSON tests). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

/** Sends one real HTTP request over loopback. */
export async function request(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/scim+json; charset=utf-8';
  }
  const response = await fetch(baseUrl + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A SCIM client bound to one API key, sending Okta's headers by default. */
export function scimClient(baseUrl: string, apiKey: string, defaults: Record<string, string> = { 'user-agent': 'Okta SCIM Client 1.0.0' }) {
  const send = (method: string, path: string, options: RequestOptions = {}) =>
    request(`${baseUrl}/scim/v2`, method, path, { ...options, headers: { authorization: `Bearer ${apiKey}`, accept: 'application/scim+json', ...defaults, ...options.headers } });
  return {
    get: (path: string, options?: RequestOptions) => send('GET', path, options),
    post: (path: string, body: unknown, options?: RequestOptions) => send('POST', path, { ...options, body }),
    put: (path: string, body: unknown, options?: RequestOptions) => send('PUT', path, { ...options, body }),
    patch: (path: string, body: unknown, options?: RequestOptions) => send('PATCH', path, { ...options, body }),
    delete: (path: string, options?: RequestOptions) => send('DELETE', path, options),
    send,
  };
}

export type ScimClient = ReturnType<typeof scimClient>;
