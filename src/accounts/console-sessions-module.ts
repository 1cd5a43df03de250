import type { RosterDatabase } from '../db/database.js';
import { authenticateSession, csrfTokenMatches, signIn, signOut, type ConsoleSession } from './console-sessions-service.js';
import type { SignInPeers } from '../shared/worker-peers.js';
import { SignInThrottle, throttleAcrossWorkers } from './sign-in-throttle.js';

/** Console sign-in and sessions bound to a database: what the admin HTTP layer calls. `peers`: the server's other workers. */
export function createConsoleSessionsModule(database: RosterDatabase, peers?: SignInPeers) {
  const throttle = peers ? throttleAcrossWorkers(new SignInThrottle(), peers) : new SignInThrottle();
  return {
    signIn: (input: { email: string; password: string; ip: string }) => signIn(database, throttle, input),
    authenticate: (token: string | undefined) => authenticateSession(database, token),
    csrfTokenMatches: (session: ConsoleSession, presented: string | undefined) => csrfTokenMatches(session, presented),
    signOut: (token: string | undefined) => signOut(database, token),
  };
}

export type ConsoleSessionsModule = ReturnType<typeof createConsoleSessionsModule>;
