const dateTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatTime(iso: string | null | undefined): string {
  return iso ? timeOnly.format(new Date(iso)) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

/** "3 minutes ago", "in 2 hours", "Never". */
export function formatRelative(iso: string | null | undefined, never = 'Never'): string {
  if (!iso) return never;
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

export const ROLE_LABELS: Record<string, string> = {
  owner: 'Owner',
  admin: 'Admin',
  events_creator: 'Events creator',
  no_access: 'No access',
};

export const ACTION_LABELS: Record<string, string> = {
  'user.created': 'User created',
  'user.linked': 'User linked',
  'user.updated': 'User updated',
  'user.deactivated': 'User deactivated',
  'user.reactivated': 'User reactivated',
  'user.deleted': 'User deleted',
  'user.rejected': 'User rejected',
  'group.created': 'Group created',
  'group.renamed': 'Group renamed',
  'group.updated': 'Group updated',
  'group.members_added': 'Members added',
  'group.members_removed': 'Members removed',
  'group.deleted': 'Group deleted',
  'group.rejected': 'Group rejected',
  'auth.failed': 'Authentication failed',
  'request.rejected': 'Request rejected',
  'credentials.tested': 'Connection tested',
};

export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
