import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api/client';
import type { Member, MemberPage, MemberWrite, Overview } from '../api/types';
import { useApi } from '../api/use-api';
import { MemberStatusBadge, SourceBadge } from '../components/badge';
import { Dialog } from '../components/dialog';
import { PageHeader } from '../components/page-header';
import { Pagination } from '../components/pagination';
import { SeatMeter } from '../components/seat-meter';
import { Alert, EmptyState, ErrorState, Loading } from '../components/states';
import { formatDateTime, ROLE_LABELS } from '../format';
import { useSignedIn } from '../session';
import { MemberDialog } from './member-dialog';
import { SecretRevealDialog } from './secret-reveal';

const PAGE_SIZE = 25;

/** Users & Teams › Members (domain.md §5.3 page 2). */
export function MembersPage() {
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const filters = { q: params.get('q') ?? '', status: params.get('status') ?? '', source: params.get('source') ?? '', role: params.get('role') ?? '' };
  const list = useApi<MemberPage>(`/members${query({ ...filters, page, pageSize: PAGE_SIZE })}`);
  const overview = useApi<Overview>('/account');
  const [editing, setEditing] = useState<{ member: Member | undefined } | null>(null);
  const [confirm, setConfirm] = useState<Member | null>(null);
  const [password, setPassword] = useState<{ member: Member; password: string } | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) (value ? next.set(key, value) : next.delete(key));
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  useEffect(() => {
    const timer = window.setTimeout(() => search !== filters.q && update({ q: search }), 250);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const refresh = () => {
    list.reload();
    overview.reload();
  };
  const saved = (result: MemberWrite, verb: string) => {
    setEditing(null);
    setConfirm(null);
    setNotice({ tone: 'success', text: `${result.member.name} ${verb}.` });
    if (result.initialPassword) setPassword({ member: result.member, password: result.initialPassword });
    refresh();
  };
  const setStatus = async (member: Member, action: 'deactivate' | 'reactivate') => {
    try {
      saved(await api<MemberWrite>('POST', `/members/${member.id}/${action}`), action === 'deactivate' ? 'was deactivated' : 'was reactivated');
    } catch (caught) {
      setConfirm(null);
      setNotice({ tone: 'danger', text: caught instanceof Error ? caught.message : 'The change failed.' });
    }
  };
  const seats = overview.data?.seats;
  const full = seats ? seats.used >= seats.limit : false;

  return (
    <>
      <PageHeader
        eyebrow="Users & Teams"
        title="Members"
        description="Everyone in your account. Members created by your identity provider are kept in sync over SCIM."
        actions={
          <>
            {seats && <SeatMeter used={seats.used} limit={seats.limit} compact />}
            <button type="button" className="btn btn-primary" onClick={() => setEditing({ member: undefined })} disabled={full} title={full ? 'All seats are in use' : undefined}>
              Add member
            </button>
          </>
        }
      />
      {overview.data?.seatRefusal && (
        <Alert tone="warning" title="Your identity provider could not create a user: no seat was free">
          {overview.data.seatRefusal.target ? `${overview.data.seatRefusal.target} was refused on ${formatDateTime(overview.data.seatRefusal.occurredAt)}. ` : ''}
          Deactivate members you no longer need or raise the seat limit, then retry the push in your identity provider. <Link to="/activity?outcome=failure">See the activity log</Link>
        </Alert>
      )}
      {notice && (
        <Alert tone={notice.tone}>
          {notice.text}{' '}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </Alert>
      )}
      <section className="card card-flush">
        <div className="toolbar" role="search">
          <div className="field field-inline field-grow">
            <label htmlFor="member-search" className="sr-only">
              Search members
            </label>
            <input id="member-search" type="search" placeholder="Search by name or email" value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
          <FilterSelect id="f-status" label="Status" allLabel="All statuses" value={filters.status} onChange={(v) => update({ status: v })} options={[['active', 'Active'], ['invited', 'Invited'], ['deactivated', 'Deactivated']]} />
          <FilterSelect id="f-source" label="Source" allLabel="All sources" value={filters.source} onChange={(v) => update({ source: v })} options={[['manual', 'Manual'], ['scim', 'SCIM (identity provider)']]} />
          <FilterSelect id="f-role" label="Role" allLabel="All roles" value={filters.role} onChange={(v) => update({ role: v })} options={Object.entries(ROLE_LABELS)} />
        </div>
        {list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          filters.q || filters.status || filters.source || filters.role ? (
            <EmptyState title="No members match these filters">Try another search or clear the filters.</EmptyState>
          ) : (
            <EmptyState title="No members yet">Add members here, or connect your identity provider under API Access.</EmptyState>
          )
        ) : (
          <MembersTable items={list.data.items} selfId={session.user.id} onEdit={(member) => setEditing({ member })} onDeactivate={setConfirm} onReactivate={(m) => void setStatus(m, 'reactivate')} />
        )}
        {list.data && list.data.total > 0 && <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={(p) => update({ page: String(p) })} />}
      </section>

      <MemberDialog open={editing !== null} member={editing?.member} selfId={session.user.id} onClose={() => setEditing(null)} onSaved={(r) => saved(r, editing?.member ? 'was updated' : 'was added')} />
      <Dialog
        open={confirm !== null}
        size="sm"
        title={`Deactivate ${confirm?.name ?? ''}?`}
        onClose={() => setConfirm(null)}
        footer={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => setConfirm(null)}>
              Cancel
            </button>
            <button type="button" className="btn btn-danger" onClick={() => confirm && void setStatus(confirm, 'deactivate')}>
              Deactivate
            </button>
          </>
        }
      >
        <p>They lose access at once and their seat is freed. Their team memberships are kept, and you can reactivate them later if a seat is free.</p>
      </Dialog>
      <SecretRevealDialog
        open={password !== null}
        title="Console password"
        label={`First password for ${password?.member.email ?? ''}`}
        intro="This admin can now sign in to the console. Give them this password through a safe channel; Roster does not show it again."
        secret={password?.password ?? ''}
        onDone={() => setPassword(null)}
      />
    </>
  );
}

function FilterSelect({ id, label, allLabel, value, options, onChange }: { id: string; label: string; allLabel: string; value: string; options: [string, string][]; onChange: (value: string) => void }) {
  return (
    <div className="field field-inline">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{allLabel}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

interface TableProps {
  items: Member[];
  selfId: string;
  onEdit: (member: Member) => void;
  onDeactivate: (member: Member) => void;
  onReactivate: (member: Member) => void;
}

function MembersTable({ items, selfId, onEdit, onDeactivate, onReactivate }: TableProps) {
  return (
    <div className="table-wrap">
      <table className="table table-members">
        <caption className="sr-only">Members</caption>
        <thead>
          <tr>
            <th scope="col">Name and email</th>
            <th scope="col">Phone</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Source</th>
            <th scope="col">Teams</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((member) => {
            const canChangeStatus = member.source === 'manual' && member.role !== 'owner' && member.id !== selfId;
            return (
              <tr key={member.id} data-member={member.userName} className={member.status === 'deactivated' ? 'row-muted' : undefined}>
                <th scope="row" className="cell-primary">
                  <span className="cell-name">
                    <span className="avatar" aria-hidden="true">
                      {member.name.slice(0, 1).toUpperCase()}
                    </span>
                    <span>
                      {member.name}
                      {member.id === selfId && <span className="muted"> (you)</span>}
                      {member.name !== (member.email ?? member.userName) && <span className="cell-sub">{member.email ?? member.userName}</span>}
                    </span>
                  </span>
                </th>
                <td className="nowrap">{member.phone ?? <span className="muted">—</span>}</td>
                <td className="nowrap">{ROLE_LABELS[member.role]}</td>
                <td>
                  <MemberStatusBadge status={member.status} />
                </td>
                <td>
                  <SourceBadge source={member.source} />
                </td>
                <td>
                  {member.teams.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <span className="chips">
                      {member.teams.map((team) => (
                        <Link key={team.id} to={`/teams/${team.id}`} className="chip">
                          {team.name}
                        </Link>
                      ))}
                    </span>
                  )}
                </td>
                <td className="cell-actions">
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => onEdit(member)} aria-label={`Edit ${member.name}`}>
                    Edit
                  </button>
                  {canChangeStatus &&
                    (member.status === 'deactivated' ? (
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => onReactivate(member)} aria-label={`Reactivate ${member.name}`}>
                        Reactivate
                      </button>
                    ) : (
                      <button type="button" className="btn btn-ghost btn-sm btn-ghost-danger" onClick={() => onDeactivate(member)} aria-label={`Deactivate ${member.name}`}>
                        Deactivate
                      </button>
                    ))}
                  {member.source === 'scim' && (
                    <span className="managed-note" title="Managed by your identity provider">
                      <svg aria-hidden="true" viewBox="0 0 20 20" width="14" height="14">
                        <rect x="4.5" y="9" width="11" height="8" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
                        <path d="M7 9V6.5a3 3 0 0 1 6 0V9" fill="none" stroke="currentColor" strokeWidth="1.6" />
                      </svg>
                      <span className="sr-only">Managed by your identity provider</span>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
