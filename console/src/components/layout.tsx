import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { Badge } from './badge';
import { useSession, useSignedIn } from '../session';

const NAV: { heading: string; links: { to: string; label: string; icon: ReactNode }[] }[] = [
  {
    heading: 'Users & Teams',
    links: [
      { to: '/members', label: 'Members', icon: <path d="M7 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm6 1a2.5 2.5 0 1 0 0-5M2 17c0-3 2.2-5 5-5s5 2 5 5m2-4.5c2 .3 4 1.8 4 4.5" /> },
      { to: '/teams', label: 'Teams', icon: <path d="M3 5h14M3 10h14M3 15h9" /> },
    ],
  },
  {
    heading: 'Integrations',
    links: [
      { to: '/settings/api-access', label: 'API Access', icon: <path d="M12.5 7.5a3.5 3.5 0 1 1-2 3.2L3 10.7V14h2.5v-2H8M13 7.5h.01" /> },
      { to: '/activity', label: 'Provisioning activity', icon: <path d="M2 11h3.5l2-5 3 9 2-6 1.5 2H18" /> },
    ],
  },
  {
    heading: 'Account Settings',
    links: [{ to: '/settings/plan', label: 'Plan & seats', icon: <path d="M3 6h14v9H3zM3 9h14" /> }],
  },
];

const PLAN_LABEL = { essentials: 'Essentials', professional: 'Professional', enterprise: 'Enterprise' } as const;

function NavIcon({ children }: { children: ReactNode }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      {children}
    </svg>
  );
}

/** The signed-in frame: sidebar navigation (a drawer on phones), top bar, page outlet. */
export function Layout() {
  const session = useSignedIn();
  const { signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const sidebar = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    // Move focus to the new page so keyboard and screen-reader users start at its top.
    if (firstRender.current) firstRender.current = false;
    else main.current?.focus();
  }, [location.pathname]);
  useEffect(() => {
    if (!menuOpen) return;
    sidebar.current?.querySelector<HTMLAnchorElement>('a')?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  return (
    <div className={`shell${menuOpen ? ' shell-menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar" id="sidebar" aria-label="Console" ref={sidebar}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            R
          </span>
          <span className="brand-name">Roster</span>
        </div>
        <nav aria-label="Main">
          {NAV.map((group) => (
            <div key={group.heading} className="nav-group">
              <p className="nav-heading">{group.heading}</p>
              <ul>
                {group.links.map((link) => (
                  <li key={link.to}>
                    <NavLink to={link.to} className={({ isActive }) => `nav-link${isActive ? ' nav-link-active' : ''}`}>
                      <NavIcon>{link.icon}</NavIcon>
                      {link.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      </aside>
      <div className="sidebar-backdrop" onClick={() => setMenuOpen(false)} aria-hidden="true" />
      <div className="main-column">
        <header className="topbar">
          <button type="button" className="icon-button menu-button" aria-controls="sidebar" aria-expanded={menuOpen} aria-label="Menu" onClick={() => setMenuOpen((open) => !open)}>
            <svg aria-hidden="true" viewBox="0 0 20 20" width="20" height="20">
              <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
          <div className="topbar-account">
            <span className="topbar-account-name">{session.account.name}</span>
            <Badge tone={session.account.plan === 'enterprise' ? 'brand' : 'neutral'}>{PLAN_LABEL[session.account.plan]}</Badge>
          </div>
          <div className="topbar-user">
            <span className="topbar-email" title={session.user.email}>
              {session.user.email}
            </span>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </header>
        <main id="main" ref={main} tabIndex={-1} className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
