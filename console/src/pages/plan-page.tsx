import { Link } from 'react-router';
import { useApi } from '../api/use-api';
import type { Overview } from '../api/types';
import { Badge } from '../components/badge';
import { PageHeader } from '../components/page-header';
import { SeatMeter } from '../components/seat-meter';
import { ErrorState, Loading } from '../components/states';

/** Account Settings › Plan & seats. */
export function PlanPage() {
  const { data, error, reload } = useApi<Overview>('/account');
  return (
    <>
      <PageHeader eyebrow="Account Settings" title="Plan & seats" description="Seats used are invited and active members. Deactivated members do not use a seat." />
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <div className="grid-2">
          <section className="card" aria-labelledby="plan-heading">
            <h2 id="plan-heading" className="card-title">
              Plan
            </h2>
            <p className="plan-name">
              {data.account.planLabel} <Badge tone={data.account.scimEnabled ? 'success' : 'neutral'}>{data.account.scimEnabled ? 'SCIM included' : 'No SCIM'}</Badge>
            </p>
            <dl className="facts">
              <div>
                <dt>Seat limit</dt>
                <dd>{data.seats.limit} users</dd>
              </div>
              <div>
                <dt>SCIM provisioning</dt>
                <dd>{data.account.scimEnabled ? 'Available' : 'Enterprise plan only'}</dd>
              </div>
            </dl>
            {!data.account.scimEnabled && <p className="muted">To connect Okta or Microsoft Entra ID, upgrade to the Enterprise plan.</p>}
          </section>
          <section className="card" aria-labelledby="seats-heading">
            <h2 id="seats-heading" className="card-title">
              Seats
            </h2>
            <SeatMeter used={data.seats.used} limit={data.seats.limit} />
            <dl className="facts facts-3">
              <div>
                <dt>Active</dt>
                <dd>{data.seats.active}</dd>
              </div>
              <div>
                <dt>Invited</dt>
                <dd>{data.seats.invited}</dd>
              </div>
              <div>
                <dt>Deactivated</dt>
                <dd>{data.seats.deactivated}</dd>
              </div>
            </dl>
            <Link to="/members" className="link">
              Manage members →
            </Link>
          </section>
        </div>
      )}
    </>
  );
}
