import type { ReactNode } from 'react';
import type { ApiKey, MemberStatus, Source } from '../api/types';

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info' | 'brand';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATUS: Record<MemberStatus, [Tone, string]> = {
  active: ['success', 'Active'],
  invited: ['info', 'Invited'],
  deactivated: ['neutral', 'Deactivated'],
};

export function MemberStatusBadge({ status }: { status: MemberStatus }) {
  const [tone, label] = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export function SourceBadge({ source }: { source: Source }) {
  return source === 'scim' ? (
    <Badge tone="brand" title="Managed by your identity provider over SCIM">
      SCIM
    </Badge>
  ) : (
    <Badge tone="neutral">Manual</Badge>
  );
}

const KEY_STATUS: Record<ApiKey['status'], [Tone, string]> = {
  active: ['success', 'Active'],
  expiring: ['warning', 'Expiring'],
  expired: ['neutral', 'Expired'],
  revoked: ['danger', 'Revoked'],
};

export function KeyStatusBadge({ status }: { status: ApiKey['status'] }) {
  const [tone, label] = KEY_STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export function OutcomeBadge({ outcome }: { outcome: 'success' | 'failure' }) {
  return outcome === 'success' ? <Badge tone="success">Success</Badge> : <Badge tone="danger">Failure</Badge>;
}
