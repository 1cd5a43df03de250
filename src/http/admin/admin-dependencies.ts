import type { AccountsModule } from '../../accounts/accounts-module.js';
import type { ConsoleSessionsModule } from '../../accounts/console-sessions-module.js';
import type { DirectoryModule } from '../../provisioning/directory-module.js';

/** The features the console needs besides the accounts module the server already has. */
export interface AdminModules {
  readonly sessions: ConsoleSessionsModule;
  readonly directory: DirectoryModule;
}

/** Everything the console API's routes call. */
export interface AdminDependencies extends AdminModules {
  readonly accounts: AccountsModule;
  /** `PUBLIC_URL` without trailing slash. */
  readonly publicUrl: string;
}
