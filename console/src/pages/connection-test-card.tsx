import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { ConnectionTest } from '../api/types';
import { Alert } from '../components/states';

/** Test connection: Okta's "Test API Credentials" request, made with a key the admin has. */
export function ConnectionTestCard({ freshKey, disabled }: { freshKey: string | null; disabled: boolean }) {
  const [key, setKey] = useState('');
  const [result, setResult] = useState<ConnectionTest>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (freshKey) setKey(freshKey);
  }, [freshKey]);
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api<ConnectionTest>('POST', '/connection-tests', { apiKey: key }));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The test could not run.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="test-heading">
      <h2 id="test-heading" className="card-title">
        Test connection
      </h2>
      <p className="muted">
        Sends <code>GET /scim/v2/Users?startIndex=1&amp;count=2</code> with the key — the request Okta's <em>Test API Credentials</em> makes. Roster shows keys only once, so paste a key
        {freshKey ? ' (the key you just generated is filled in)' : ''}.
      </p>
      <form className="form form-inline" onSubmit={run}>
        <div className="field field-grow">
          <label htmlFor="test-key">API key</label>
          <input id="test-key" type="password" className="mono" autoComplete="off" placeholder="rk_…" value={key} onChange={(e) => setKey(e.target.value)} required />
        </div>
        <button type="submit" className="btn btn-secondary" disabled={busy || disabled || !key.trim()}>
          {busy ? 'Testing…' : 'Test connection'}
        </button>
      </form>
      <div aria-live="polite">
        {error && <Alert tone="danger">{error}</Alert>}
        {result && (
          <div className={`test-result ${result.ok ? 'test-ok' : 'test-failed'}`} data-testid="connection-result">
            <p className="test-headline">
              <span className="test-icon" aria-hidden="true">
                {result.ok ? '✓' : '✕'}
              </span>
              <strong>{result.ok ? 'Connection works' : 'Connection failed'}</strong>
              <span className="muted">
                {result.httpStatus ? `HTTP ${result.httpStatus}` : 'not sent'} · {result.durationMs} ms
              </span>
            </p>
            <p>{result.detail}</p>
            <p className="mono small muted">
              {result.request.method} {result.request.url}
              <br />
              Authorization: {result.request.authorization}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
