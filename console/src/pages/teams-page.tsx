import { Link } from 'react-router';
import type { Team } from '../api/types';
import { useApi } from '../api/use-api';
import { SourceBadge } from '../components/badge';
import { PageHeader } from '../components/page-header';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { formatDateTime, pluralize } from '../format';

/** Users & Teams › Teams (domain.md §5.3 page 3). */
export function TeamsPage() {
  const { data, error, reload } = useApi<{ items: Team[] }>('/teams');
  return (
    <>
      <PageHeader eyebrow="Users & Teams" title="Teams" description="Groups your identity provider pushes become teams with the same members. Their name and membership are managed there." />
      <section className="card card-flush">
        {error ? (
          <ErrorState error={error} onRetry={reload} />
        ) : !data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <EmptyState title="No teams yet">Push a group from Okta or assign a group in Microsoft Entra ID and it appears here.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Teams</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Source</th>
                  <th scope="col" className="num">
                    Members
                  </th>
                  <th scope="col">Last change</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((team) => (
                  <tr key={team.id} data-team={team.name}>
                    <th scope="row" className="cell-primary">
                      <Link to={`/teams/${team.id}`} className="link">
                        {team.name}
                      </Link>
                    </th>
                    <td>
                      <SourceBadge source={team.source} />
                    </td>
                    <td className="num">{pluralize(team.memberCount, 'member')}</td>
                    <td className="nowrap">{formatDateTime(team.updatedAt)}</td>
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
