import { createConsoleSessionsModule } from '../accounts/console-sessions-module.js';
import type { RosterDatabase } from '../db/database.js';
import { createDirectoryModule } from './directory-module.js';

/** What the admin console needs beyond the accounts module: sessions and the directory. */
export function createAdminModules(database: RosterDatabase) {
  return { sessions: createConsoleSessionsModule(database), directory: createDirectoryModule(database) };
}
