import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { ApiKey, CreatedKey, Overview } from '../api/types';
import { useApi } from '../api/use-api';
import { KeyStatusBadge } from '../components/badge';
import { CopyButton } from '../components/copy-button';
import { Dialog } from '../components/dialog';
import { PageHeader } from '../components/page-header';
import { Alert, EmptyState, ErrorState, Loading } from '../components/states';
import { formatDate, formatDateTime, formatRelative } from '../format';
import { ConnectionTestCard } from './connection-test-card';
import { SecretRevealDialog } from './secret-reveal';
import { SetupGuides } from './setup-guides';

const GRACE_OPTIONS: [number, string][] = [
  [0, 'Immediately'],
  [3600, 'After 1 hour'],
  [86400, 'After 24 hours'],
  [604800, 'After 7 days'],
];

const usable = (key: ApiKey) => key.status === 'active' || key.status === 'expiring';

/** Account Settings › Integrations › API Access (domain.md §5.3 page 1). */
export function ApiAccessPage() {
  const overview = useApi<Overview>('/account');
  const keys = useApi<{ items: ApiKey[] }>('/api-keys');
  const [dialog, setDialog] = useState<{ kind: 'generate' } | { kind: 'rotate' | 'revoke'; key: ApiKey } | null>(null);
  const [revealed, setRevealed] = useState<CreatedKey | null>(null);
  const [freshKey, setFreshKey] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const scim = overview.data?.account.scimEnabled ?? true;
  const usableCount = keys.data?.items.filter(usable).length ?? 0;

  const created = (result: CreatedKey) => {
    setDialog(null);
    setRevealed(result);
    setFreshKey(result.secret);
    keys.reload();
  };

  return (
    <>
      <PageHeader eyebrow="Account Settings › Integrations" title="API Access" description="Connect your identity provider to Roster over SCIM 2.0 to create, update and deactivate members and push groups as teams." />
      {overview.data && !scim && (
        <Alert tone="warning" title="SCIM provisioning needs the Enterprise plan">
          Your account is on the {overview.data.account.planLabel} plan: identity providers are refused with 403 Forbidden until you upgrade to Enterprise. <Link to="/settings/plan">See your plan</Link>
        </Alert>
      )}
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}

      <section className="card" aria-labelledby="base-url-heading">
        <h2 id="base-url-heading" className="card-title">
          SCIM base URL
        </h2>
        {overview.error ? (
          <ErrorState error={overview.error} onRetry={overview.reload} />
        ) : !overview.data ? (
          <Loading />
        ) : (
          <div className="field">
            <label htmlFor="scim-base-url" className="sr-only">
              SCIM base URL
            </label>
            <div className="input-group">
              <input id="scim-base-url" className="mono" readOnly value={overview.data.scimBaseUrl} onFocus={(e) => e.target.select()} />
              <CopyButton value={overview.data.scimBaseUrl} />
            </div>
            <span className="hint">Paste it into your identity provider as the SCIM connector base URL (Okta) or Tenant URL (Entra ID).</span>
          </div>
        )}
      </section>

      <section className="card card-flush" aria-labelledby="keys-heading">
        <div className="card-header">
          <div>
            <h2 id="keys-heading" className="card-title">
              API keys
            </h2>
            <p className="muted">Your identity provider sends the key as a Bearer token. Keys belong to the account, not to the admin who created them. At most two keys can be active, so a rotation can overlap.</p>
          </div>
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'generate' })} disabled={!scim || usableCount >= 2} title={usableCount >= 2 ? 'Two keys are active: revoke one first' : undefined}>
            Generate key
          </button>
        </div>
        {usableCount >= 2 && (
          <p className="card-note muted">Two keys are active. Revoke one (or rotate it) to generate another.</p>
        )}
        {keys.error ? (
          <ErrorState error={keys.error} onRetry={keys.reload} />
        ) : !keys.data ? (
          <Loading />
        ) : keys.data.items.length === 0 ? (
          <EmptyState title="No API keys">Generate a key and paste it into your identity provider.</EmptyState>
        ) : (
          <KeysTable items={keys.data.items} onRotate={(key) => setDialog({ kind: 'rotate', key })} onRevoke={(key) => setDialog({ kind: 'revoke', key })} />
        )}
      </section>

      <ConnectionTestCard freshKey={freshKey} disabled={false} />
      <SetupGuides />

      <GenerateDialog open={dialog?.kind === 'generate'} onClose={() => setDialog(null)} onCreated={created} />
      <RotateDialog apiKey={dialog?.kind === 'rotate' ? dialog.key : null} onClose={() => setDialog(null)} onCreated={created} />
      <RevokeDialog
        apiKey={dialog?.kind === 'revoke' ? dialog.key : null}
        onClose={() => setDialog(null)}
        onRevoked={(key) => {
          setDialog(null);
          setNotice({ tone: 'success', text: `Key ${key.prefix}…${key.last4} was revoked. Requests with it now get 401.` });
          keys.reload();
        }}
      />
      <SecretRevealDialog
        open={revealed !== null}
        title="Your new API key"
        label={revealed ? `${revealed.key.name} (${revealed.key.prefix}…${revealed.key.last4})` : 'API key'}
        intro="Copy this key now and paste it into your identity provider. Roster stores only a hash of it and cannot show it again."
        secret={revealed?.secret ?? ''}
        onDone={() => setRevealed(null)}
      />
    </>
  );
}

function KeysTable({ items, onRotate, onRevoke }: { items: ApiKey[]; onRotate: (key: ApiKey) => void; onRevoke: (key: ApiKey) => void }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((key) => (
            <tr key={key.id} data-key-prefix={key.prefix} className={usable(key) ? undefined : 'row-muted'}>
              <th scope="row" className="cell-primary">
                {key.name}
              </th>
              <td className="mono nowrap">
                {key.prefix}…{key.last4}
              </td>
              <td>
                <KeyStatusBadge status={key.status} />
                {key.status === 'expiring' && key.expiresAt && <div className="muted small">until {formatDateTime(key.expiresAt)}</div>}
              </td>
              <td className="nowrap">
                {formatDate(key.createdAt)}
                <div className="muted small">{key.createdBy ? `by ${key.createdBy.name}` : 'by the CLI'}</div>
              </td>
              <td className="nowrap" title={key.lastUsedAt ? formatDateTime(key.lastUsedAt) : undefined}>
                {formatRelative(key.lastUsedAt)}
              </td>
              <td className="cell-actions">
                {usable(key) && (
                  <>
                    {key.status === 'active' && (
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => onRotate(key)} aria-label={`Rotate key ${key.prefix}`}>
                        Rotate
                      </button>
                    )}
                    <button type="button" className="btn btn-ghost btn-sm btn-ghost-danger" onClick={() => onRevoke(key)} aria-label={`Revoke key ${key.prefix}`}>
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function useSubmit<T>(action: () => Promise<T>, onDone: (result: T) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onDone(await action());
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The request failed.');
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit, reset: () => setError(undefined) };
}

function GenerateDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (created: CreatedKey) => void }) {
  const [name, setName] = useState('Okta provisioning');
  const { busy, error, submit } = useSubmit(() => api<CreatedKey>('POST', '/api-keys', { name }), onCreated);
  return (
    <Dialog
      open={open}
      title="Generate API key"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="generate-form" className="btn btn-primary" disabled={busy}>
            {busy ? 'Generating…' : 'Generate key'}
          </button>
        </>
      }
    >
      {error && <Alert tone="danger">{error}</Alert>}
      <form id="generate-form" className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="key-name">Key name</label>
          <input id="key-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <span className="hint">Helps you recognise the key later, e.g. the identity provider that uses it.</span>
        </div>
      </form>
    </Dialog>
  );
}

function RotateDialog({ apiKey, onClose, onCreated }: { apiKey: ApiKey | null; onClose: () => void; onCreated: (created: CreatedKey) => void }) {
  const [grace, setGrace] = useState(3600);
  const { busy, error, submit } = useSubmit(() => api<CreatedKey>('POST', `/api-keys/${apiKey?.id ?? ''}/rotate`, { graceSeconds: grace }), onCreated);
  return (
    <Dialog
      open={apiKey !== null}
      title={`Rotate ${apiKey?.prefix ?? ''}…${apiKey?.last4 ?? ''}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="rotate-form" className="btn btn-primary" disabled={busy}>
            {busy ? 'Rotating…' : 'Rotate key'}
          </button>
        </>
      }
    >
      <p>Roster issues a new key. Paste it into your identity provider; the old key keeps working for the period you choose, then stops.</p>
      {error && <Alert tone="danger">{error}</Alert>}
      <form id="rotate-form" onSubmit={submit}>
        <fieldset className="radio-group">
          <legend>Old key stops working</legend>
          {GRACE_OPTIONS.map(([seconds, label]) => (
            <label key={seconds} className="radio">
              <input type="radio" name="grace" value={seconds} checked={grace === seconds} onChange={() => setGrace(seconds)} />
              {label}
            </label>
          ))}
        </fieldset>
      </form>
    </Dialog>
  );
}

function RevokeDialog({ apiKey, onClose, onRevoked }: { apiKey: ApiKey | null; onClose: () => void; onRevoked: (key: ApiKey) => void }) {
  const { busy, error, submit } = useSubmit(async () => {
    if (!apiKey) throw new Error('No key selected.');
    await api('DELETE', `/api-keys/${apiKey.id}`);
    return apiKey;
  }, onRevoked);
  return (
    <Dialog
      open={apiKey !== null}
      size="sm"
      title={`Revoke ${apiKey?.prefix ?? ''}…${apiKey?.last4 ?? ''}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void submit()}>
            {busy ? 'Revoking…' : 'Revoke key'}
          </button>
        </>
      }
    >
      <p>Identity providers using this key get 401 Unauthorized from now on and provisioning stops until you paste a new key. This cannot be undone.</p>
      {error && <Alert tone="danger">{error}</Alert>}
    </Dialog>
  );
}
