import type { RosterDatabase } from '../db/database.js';
import type { CachePeers } from '../shared/worker-peers.js';
import { createApiKeyCache, forgetAcrossWorkers } from './api-key-cache.js';
import { createAccount, getAccount, listAllAccounts, updateAccountSettings, type AccountSettings, type NewAccount } from './accounts-service.js';
import { authenticateApiKey, authenticateCachedApiKey, createApiKey, listAccountApiKeys, revokeApiKey, rotateApiKey } from './api-keys-service.js';

/** The accounts feature bound to a database: what the CLI and HTTP layers call. `peers`: the server's other workers. */
export function createAccountsModule(database: RosterDatabase, peers?: CachePeers) {
  const keyCache = peers ? forgetAcrossWorkers(createApiKeyCache(), peers) : createApiKeyCache();
  return {
    createAccount: (input: NewAccount) => createAccount(database, input),
    getAccount: (accountId: string) => getAccount(database, accountId),
    listAccounts: () => listAllAccounts(database),
    updateAccountSettings: async (accountId: string, settings: AccountSettings) => {
      const account = await updateAccountSettings(database, accountId, settings);
      keyCache.forgetAccount(accountId);
      return account;
    },
    createApiKey: (accountId: string, options?: { name?: string; createdBy?: string | null }) => createApiKey(database, accountId, options),
    listApiKeys: (accountId: string) => listAccountApiKeys(database, accountId),
    rotateApiKey: (accountId: string, keyId: string, options: { graceSeconds: number; createdBy?: string | null }) => rotateApiKey(database, accountId, keyId, options, keyCache),
    revokeApiKey: (accountId: string, keyId: string) => revokeApiKey(database, accountId, keyId, keyCache),
    authenticateApiKey: (presented: string | undefined, ip: string | null) => authenticateApiKey(database, presented, ip, keyCache),
    /** authenticateApiKey's answer when it needs no query, else undefined. */
    authenticateCachedApiKey: (presented: string | undefined) => authenticateCachedApiKey(presented, keyCache),
  };
}

export type AccountsModule = ReturnType<typeof createAccountsModule>;
