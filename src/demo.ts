import type { Roster } from './app.js';

const DEMO_OWNER = 'owner@demo.roster.test';

/**
 * `npm start`: on an empty database, creates a demo Enterprise account and prints its
 * logins once. Later starts print only where to reach the service: no secret again.
 */
export async function startDemo(roster: Roster, publicUrl: string, say: (line: string) => void): Promise<void> {
  const accounts = await roster.accounts.listAccounts();
  say(`  Console:        ${publicUrl}/`);
  say(`  SCIM base URL:  ${publicUrl}/scim/v2`);
  if (accounts.length > 0) {
    say(`  ${accounts.length} account(s) exist; their keys were printed when they were created (create a new one with: npx roster key create --account ID).`);
    return;
  }
  const created = await roster.accounts.createAccount({ name: 'Demo Events Co', plan: 'enterprise', ownerEmail: DEMO_OWNER });
  say('  Created a demo Enterprise account (shown once, store these now):');
  say(`  Console login:  ${created.owner?.email ?? DEMO_OWNER} / ${created.owner?.password ?? ''}`);
  say(`  API key:        ${created.apiKey}`);
  say(`  Try it:         curl -H "Authorization: Bearer ${created.apiKey}" ${publicUrl}/scim/v2/Users`);
}
