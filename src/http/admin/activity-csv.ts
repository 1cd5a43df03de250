import type { ActivityView } from '../../provisioning/activity-queries.js';

const COLUMNS = ['time', 'idp', 'actor', 'action', 'resource_type', 'target', 'outcome', 'http_status', 'scim_type', 'detail', 'changes', 'method', 'path'] as const;

/**
 * One CSV field (RFC 4180 quoting). A leading =, +, -, @, tab or CR is prefixed with an
 * apostrophe so that a spreadsheet does not run an IdP-supplied value as a formula.
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The activity log as CSV with a header row, CRLF line ends. */
export function activityCsv(items: readonly ActivityView[]): string {
  const rows = items.map((e) =>
    [e.occurredAt, e.idp, e.actor, e.action, e.resourceType, e.target, e.outcome, e.httpStatus, e.scimType, e.detail, e.changes, e.method, e.path].map(csvField).join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
