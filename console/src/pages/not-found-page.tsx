import { Link } from 'react-router';
import { EmptyState } from '../components/states';

export function NotFoundPage() {
  return (
    <EmptyState title="Page not found" action={<Link className="btn btn-secondary" to="/members">Go to Members</Link>}>
      This page does not exist in the Roster console.
    </EmptyState>
  );
}
