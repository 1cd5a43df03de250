/** The current time as the ISO-8601 UTC string every table stores. */
export function nowIso(): string {
  return new Date().toISOString();
}
