import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthorized, setCsrfToken } from './api/client';
import type { Session } from './api/types';

interface SessionState {
  /** undefined while loading, null when signed out. */
  session: Session | null | undefined;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const adopt = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
  }, []);
  useEffect(() => {
    api<Session>('GET', '/session')
      .then(adopt)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) adopt(null);
        else adopt(null);
      });
    return onUnauthorized(() => adopt(null));
  }, [adopt]);
  const value = useMemo<SessionState>(
    () => ({
      session,
      signIn: async (email, password) => adopt(await api<Session>('POST', '/session', { email, password })),
      signOut: async () => {
        try {
          await api('DELETE', '/session');
        } finally {
          adopt(null);
        }
      },
    }),
    [session, adopt],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in session (for pages inside the authenticated layout). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session;
}
