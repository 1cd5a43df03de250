let lastMs = Number.NaN;
let lastIso = '';

/**
 * The current time as the ISO-8601 UTC string every table stores. `toISOString` costs about
 * half a microsecond and every SCIM request asks at least once (the API key's expiry check),
 * so the string is made once per millisecond.
 */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
