import { createConsoleSessionsModule } from '../accounts/console-sessions-module.js';
import type { RosterDatabase } from '../db/database.js';
import type { SignInPeers } from '../shared/worker-peers.js';
import { createDirectoryModule } from './directory-module.js';

/** What the admin console needs beyond the accounts module: sessions and the directory. `signInPeers`: the server's other workers. */
export function createAdminModules(database: RosterDatabase, signInPeers?: SignInPeers) {
  return { sessions: createConsoleSessionsModule(database, signInPeers), directory: createDirectoryModule(database) };
}
