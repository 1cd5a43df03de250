import { Fragment, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { API_BASE, query } from '../api/client';
import type { ActivityDay, ActivityEvent, ActivityPage as Page, FieldChange } from '../api/types';
import { useApi } from '../api/use-api';
import { ActivityChart } from '../components/activity-chart';
import { OutcomeBadge } from '../components/badge';
import { PageHeader } from '../components/page-header';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { ACTION_LABELS, formatDate, formatTime } from '../format';

const PAGE_SIZE = 50;

/** Integrations › Provisioning activity (domain.md §5.3 page 4). */
export function ActivityPage() {
  const [params, setParams] = useSearchParams();
  const filters = { outcome: params.get('outcome') ?? '', action: params.get('action') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const filterKey = JSON.stringify(filters);
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  useEffect(() => setCursors([undefined]), [filterKey]);
  const before = cursors[cursors.length - 1];
  const list = useApi<Page>(`/activity${query({ ...filters, before, limit: PAGE_SIZE })}`);
  const chart = useApi<{ days: ActivityDay[] }>('/activity/daily?days=30');
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader
        eyebrow="Integrations"
        title="Provisioning activity"
        description="Every request your identity provider makes, newest first. Failures are highlighted with the reason Roster gave."
        actions={
          <a className="btn btn-secondary" href={`${API_BASE}/activity/export.csv${query(filters)}`} download>
            Export CSV
          </a>
        }
      />
      <section className="card" aria-labelledby="chart-heading">
        <h2 id="chart-heading" className="card-title">
          Requests per day, last 30 days <span className="muted">(UTC)</span>
        </h2>
        {chart.error ? <ErrorState error={chart.error} onRetry={chart.reload} /> : !chart.data ? <Loading /> : <ActivityChart days={chart.data.days} />}
      </section>
      <section className="card card-flush" aria-label="Activity log">
        <form className="toolbar" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
          <div className="field field-inline">
            <label htmlFor="a-outcome">Outcome</label>
            <select id="a-outcome" value={filters.outcome} onChange={(e) => update('outcome', e.target.value)}>
              <option value="">All</option>
              <option value="success">Success</option>
              <option value="failure">Failure</option>
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor="a-action">Action</label>
            <select id="a-action" value={filters.action} onChange={(e) => update('action', e.target.value)}>
              <option value="">All actions</option>
              {Object.entries(ACTION_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor="a-from">From</label>
            <input id="a-from" type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => update('from', e.target.value)} />
          </div>
          <div className="field field-inline">
            <label htmlFor="a-to">To</label>
            <input id="a-to" type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => update('to', e.target.value)} />
          </div>
          {filtered && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              Clear filters
            </button>
          )}
        </form>
        {list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={filtered ? 'No activity matches these filters' : 'No provisioning activity yet'}>
            {filtered ? 'Try a wider date range or another action.' : 'Once your identity provider calls Roster, each request shows up here.'}
          </EmptyState>
        ) : (
          <ActivityTable items={list.data.items} />
        )}
        {list.data && (cursors.length > 1 || list.data.nextCursor !== null) && (
          <nav className="pagination" aria-label="Pagination">
            <span className="muted">Page {cursors.length}</span>
            <div className="pagination-buttons">
              <button type="button" className="btn btn-secondary btn-sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer
              </button>
              <button type="button" className="btn btn-secondary btn-sm" disabled={list.data.nextCursor === null} onClick={() => setCursors((c) => [...c, list.data?.nextCursor ?? undefined])}>
                Older
              </button>
            </div>
          </nav>
        )}
      </section>
    </>
  );
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Changes({ changes }: { changes: unknown }) {
  if (!Array.isArray(changes)) return <pre className="code-block">{JSON.stringify(changes, null, 2)}</pre>;
  return (
    <dl className="diff">
      {(changes as FieldChange[]).map((change) => (
        <div key={change.field} className="diff-row">
          <dt className="mono">{change.field}</dt>
          <dd>
            {change.from === undefined ? (
              <>
                <span className="diff-added">set to</span>
                <ins>{show(change.to)}</ins>
              </>
            ) : change.to === undefined ? (
              <>
                <span className="diff-added">removed</span>
                <del>{show(change.from)}</del>
              </>
            ) : (
              <>
                <del>{show(change.from)}</del> <span aria-hidden="true">→</span>
                <span className="sr-only">changed to</span> <ins>{show(change.to)}</ins>
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function hasChanges(event: ActivityEvent): boolean {
  return event.changes !== null && event.changes !== undefined && !(Array.isArray(event.changes) && event.changes.length === 0);
}

function ActivityTable({ items }: { items: ActivityEvent[] }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="table-wrap">
      <table className="table table-activity">
        <caption className="sr-only">Provisioning activity, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Identity provider</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {items.map((event) => (
            <Fragment key={event.id}>
              <tr className={event.outcome === 'failure' ? 'row-failure' : undefined} data-action={event.action} data-target={event.target ?? ''}>
                <td className="nowrap">
                  {formatDate(event.occurredAt)}
                  <div className="muted small">{formatTime(event.occurredAt)}</div>
                </td>
                <td className="cell-actor">
                  {event.idp ?? <span className="muted">—</span>}
                  <div className="muted small">{event.actor}</div>
                </td>
                <td className="nowrap">
                  {ACTION_LABELS[event.action] ?? event.action}
                  <div className="muted small mono">{event.action}</div>
                </td>
                <td className="cell-target">{event.target ?? <span className="muted">—</span>}</td>
                <td className="nowrap">
                  <OutcomeBadge outcome={event.outcome} />
                  <div className="muted small mono" title="HTTP status">
                    HTTP {event.httpStatus || '—'}
                  </div>
                </td>
                <td className="cell-detail">
                  {event.detail ?? (event.method ? <span className="muted mono small">{`${event.method} ${event.path ?? ''}`}</span> : <span className="muted">—</span>)}
                  {event.scimType && <div className="muted small">scimType: {event.scimType}</div>}
                  {hasChanges(event) && (
                    <div>
                      <button type="button" className="link-button small" aria-expanded={open.has(event.id)} onClick={() => toggle(event.id)}>
                        {open.has(event.id) ? 'Hide changes' : 'Show changes'}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
              {open.has(event.id) && (
                <tr className="row-changes">
                  <td colSpan={6}>
                    <Changes changes={event.changes} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
