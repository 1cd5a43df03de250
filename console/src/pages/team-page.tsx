import { Link, useParams } from 'react-router';
import type { Member, Team } from '../api/types';
import { useApi } from '../api/use-api';
import { MemberStatusBadge, SourceBadge } from '../components/badge';
import { PageHeader } from '../components/page-header';
import { Alert, EmptyState, ErrorState, Loading } from '../components/states';
import { pluralize, ROLE_LABELS } from '../format';

/** One team and its members; SCIM teams are read-only. */
export function TeamPage() {
  const { id = '' } = useParams();
  const { data, error, reload } = useApi<Team & { members: Member[] }>(`/teams/${encodeURIComponent(id)}`);
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/teams" className="link">
          ← Teams
        </Link>
      </p>
      <PageHeader eyebrow="Team" title={data.name} description={pluralize(data.memberCount, 'member')} actions={<SourceBadge source={data.source} />} />
      {data.source === 'scim' && (
        <Alert tone="info" title="Managed by your identity provider">
          This team is a group pushed over SCIM: rename it and change its members in your identity provider.
        </Alert>
      )}
      <section className="card card-flush">
        {data.members.length === 0 ? (
          <EmptyState title="No members in this team" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Members of {data.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((member) => (
                  <tr key={member.id} data-member={member.userName}>
                    <th scope="row" className="cell-primary">
                      {member.name}
                    </th>
                    <td>{member.email ?? member.userName}</td>
                    <td>{ROLE_LABELS[member.role]}</td>
                    <td>
                      <MemberStatusBadge status={member.status} />
                    </td>
                    <td>
                      <SourceBadge source={member.source} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
