import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { ActivityPage } from './pages/activity-page';
import { ApiAccessPage } from './pages/api-access-page';
import { MembersPage } from './pages/members-page';
import { NotFoundPage } from './pages/not-found-page';
import { PlanPage } from './pages/plan-page';
import { SignInPage } from './pages/sign-in-page';
import { TeamPage } from './pages/team-page';
import { TeamsPage } from './pages/teams-page';
import { useSession } from './session';

function RequireSession() {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <Loading label="Loading the console…" />;
  if (session === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <Layout />;
}

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<Navigate to="/members" replace />} />
        <Route path="members" element={<MembersPage />} />
        <Route path="teams" element={<TeamsPage />} />
        <Route path="teams/:id" element={<TeamPage />} />
        <Route path="activity" element={<ActivityPage />} />
        <Route path="settings" element={<Navigate to="/settings/api-access" replace />} />
        <Route path="settings/api-access" element={<ApiAccessPage />} />
        <Route path="settings/plan" element={<PlanPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
