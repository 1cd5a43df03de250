/**
 * The admin console end to end in headless Chromium, following issue 5's "Done when": sign in,
 * generate a key, Test connection, provision a user and a group over SCIM with that key and see
 * them and their activity appear, deactivate a manual member, revoke the key and see SCIM
 * answer 401. Every wait is on UI state (Playwright locators), never on time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DIALECTS } from '../helpers/databases.js';
import { scimClient } from '../helpers/http-client.js';
import { launchBrowser, newPage, screenshot, signInThroughForm, startE2eServer, type E2eServer } from './browser.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

for (const dialect of DIALECTS) {
  describe(`Admin console in Chromium [${dialect}]`, () => {
    let server: E2eServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let owner: { email: string; password: string };
    let generatedKey = '';

    before(async () => {
      server = await startE2eServer(dialect);
      const created = await server.roster.accounts.createAccount({ name: 'Northwind Events', plan: 'enterprise', ownerEmail: 'owner@northwind.test' });
      assert.ok(created.owner);
      owner = created.owner;
      browser = await launchBrowser();
      ({ context, page } = await newPage(browser, server.url));
    });

    after(async () => {
      await context?.close();
      await browser?.close();
      await server?.close();
    });

    it('sends a signed-out visitor to the sign-in page and rejects a wrong password', async () => {
      await page.goto('/activity');
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      assert.match(page.url(), /\/sign-in$/);
      await screenshot(page, `${dialect}-01-sign-in`);
      await page.getByLabel('Email').fill(owner.email);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'The email address or password is not correct.' }).waitFor();
    });

    it('signs the owner in with the password printed at account creation', async () => {
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Provisioning activity', level: 1 }).waitFor();
      assert.match(page.url(), /\/activity$/, 'back to the page first asked for');
      await page.getByText('Northwind Events').waitFor();
    });

    it('API Access: shows the SCIM base URL with a copy button', async () => {
      await page.getByRole('link', { name: 'API Access' }).click();
      const baseUrl = page.getByRole('textbox', { name: 'SCIM base URL' });
      await baseUrl.waitFor();
      assert.equal(await baseUrl.inputValue(), `${server.url}/scim/v2`);
      await page.getByRole('button', { name: 'Copy' }).first().click();
      await page.getByRole('button', { name: 'Copied' }).waitFor();
      assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), `${server.url}/scim/v2`);
    });

    it('generates a key that is shown once and needs "I have stored it" before closing', async () => {
      // The account's first key was printed by the CLI; revoke room is not needed (max 2 keys).
      await page.getByRole('button', { name: 'Generate key' }).click();
      const form = page.getByRole('dialog', { name: 'Generate API key' });
      await form.getByLabel('Key name').fill('Okta production');
      await form.getByRole('button', { name: 'Generate key' }).click();
      const reveal = page.getByRole('dialog', { name: 'Your new API key' });
      await reveal.waitFor();
      generatedKey = await reveal.getByTestId('revealed-secret').inputValue();
      assert.match(generatedKey, /^rk_[0-9A-F]{8}_[A-Za-z0-9_-]{43}$/);
      const done = reveal.getByRole('button', { name: 'Done' });
      assert.equal(await done.isDisabled(), true, 'cannot close before confirming');
      await page.keyboard.press('Escape');
      assert.equal(await reveal.isVisible(), true, 'Escape does not dismiss an unconfirmed secret');
      await screenshot(page, `${dialect}-02-key-generated`);
      await reveal.getByRole('button', { name: 'Copy' }).click();
      assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), generatedKey);
      await reveal.getByLabel('I have stored it').check();
      await done.click();
      await reveal.waitFor({ state: 'hidden' });
      const row = page.locator(`tr[data-key-prefix="${generatedKey.slice(0, 11)}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), new RegExp(`Okta production\\s+${generatedKey.slice(0, 11)}…${generatedKey.slice(-4)}`));
      assert.ok(!(await page.locator('body').innerText()).includes(generatedKey), 'the secret is no longer displayed');
    });

    it('Test connection succeeds with the new key (Okta\'s GET /Users?startIndex=1&count=2)', async () => {
      assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), generatedKey, 'the fresh key is filled in');
      await page.getByRole('button', { name: 'Test connection' }).click();
      const result = page.getByTestId('connection-result');
      await result.filter({ hasText: 'Connection works' }).waitFor();
      assert.match(await result.innerText(), /HTTP 200/);
      assert.match(await result.innerText(), new RegExp(`GET ${server.url}/scim/v2/Users\\?startIndex=1&count=2`));
      await screenshot(page, `${dialect}-03-api-access`);
    });

    it('a user and a group provisioned over SCIM with that key appear in Members and Teams', async () => {
      const scim = scimClient(server.url, generatedKey);
      const user = await scim.post('/Users', {
        schemas: [USER_SCHEMA],
        userName: 'grace.hopper@northwind.test',
        name: { givenName: 'Grace', familyName: 'Hopper' },
        emails: [{ value: 'grace.hopper@northwind.test', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+41 441234567', type: 'work', primary: true }],
        active: true,
      });
      assert.equal(user.status, 201, user.text);
      const group = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Door Staff', members: [{ value: user.body.id }] });
      assert.equal(group.status, 201, group.text);

      await page.getByRole('link', { name: 'Members' }).click();
      const row = page.locator('tr[data-member="grace.hopper@northwind.test"]');
      await row.waitFor();
      const text = await row.innerText();
      for (const expected of ['Grace Hopper', 'grace.hopper@northwind.test', '+41 441234567', 'Active', 'SCIM', 'Door Staff']) assert.ok(text.includes(expected), `${expected} in "${text}"`);

      await row.getByRole('button', { name: 'Edit Grace Hopper' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Grace Hopper' });
      await dialog.getByText('Managed by your identity provider').first().waitFor();
      assert.equal(await dialog.getByLabel('Email').getAttribute('readonly'), '');
      assert.equal(await dialog.getByLabel('Account role').isEnabled(), true, 'the role stays editable');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await page.getByRole('link', { name: 'Teams' }).click();
      const team = page.locator('tr[data-team="Door Staff"]');
      await team.waitFor();
      assert.match(await team.innerText(), /SCIM\s+1 member/);
      await team.getByRole('link', { name: 'Door Staff' }).click();
      await page.getByRole('heading', { name: 'Door Staff', level: 1 }).waitFor();
      await page.locator('tr[data-member="grace.hopper@northwind.test"]').waitFor();
      await page.getByText('rename it and change its members in your identity provider').waitFor();
      await screenshot(page, `${dialect}-04-team`);
    });

    it('their activity entries appear, with the chart, filters and failures highlighted', async () => {
      const refused = await scimClient(server.url, generatedKey).post('/Users', { schemas: [USER_SCHEMA], userName: 'grace.hopper@northwind.test' });
      assert.equal(refused.status, 409);
      await page.getByRole('link', { name: 'Provisioning activity' }).click();
      await page.locator('tr[data-action="user.created"][data-target="grace.hopper@northwind.test"]').waitFor();
      await page.locator('tr[data-action="group.created"][data-target="Door Staff"]').waitFor();
      await page.locator('tr[data-action="credentials.tested"]').first().waitFor();
      const failure = page.locator('tr.row-failure[data-action="user.rejected"]');
      await failure.waitFor();
      assert.match(await failure.innerText(), /409/);
      assert.match(await failure.innerText(), /already exists/);
      assert.match(await page.locator('figure.chart').innerText(), /failed/);
      const bars = await page.locator('.chart-bar').count();
      assert.equal(bars, 30);

      await page.locator('tr[data-action="user.created"]').getByRole('button', { name: 'Show changes' }).click();
      await page.locator('.row-changes').filter({ hasText: 'name.givenName' }).waitFor();
      await screenshot(page, `${dialect}-05-activity`);

      await page.getByLabel('Outcome').selectOption('failure');
      await page.locator('tr[data-action="user.created"]').waitFor({ state: 'detached' });
      assert.equal(await page.locator('tbody tr[data-action]').count(), 1);
      const csvHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
      assert.equal(csvHref, '/api/v1/activity/export.csv?outcome=failure');
      const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]).then(([d]) => d);
      assert.match(download.suggestedFilename(), /^roster-provisioning-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    });

    it('adds a manual member and deactivates them after confirming; the seat meter follows', async () => {
      await page.getByRole('link', { name: 'Members' }).click();
      await page.getByText('2 of 15 users').waitFor();
      await page.getByRole('button', { name: 'Add member' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add member' });
      await dialog.getByLabel('First name').fill('Ada');
      await dialog.getByLabel('Last name').fill('Lovelace');
      await dialog.getByLabel('Email').fill('ada@northwind.test');
      await dialog.getByLabel(/Phone/).fill('+44 2071234567');
      await dialog.getByLabel('Account role').selectOption('events_creator');
      await dialog.getByRole('button', { name: 'Add member' }).click();
      await page.getByText('Ada Lovelace was added.').waitFor();
      const row = page.locator('tr[data-member="ada@northwind.test"]');
      assert.match(await row.innerText(), /Events creator\s+Invited\s+Manual/);
      await page.getByText('3 of 15 users').waitFor();
      await screenshot(page, `${dialect}-06-members`);

      await row.getByRole('button', { name: 'Deactivate Ada Lovelace' }).click();
      const confirm = page.getByRole('dialog', { name: 'Deactivate Ada Lovelace?' });
      await confirm.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByText('Ada Lovelace was deactivated.').waitFor();
      await row.getByText('Deactivated').waitFor();
      await page.getByText('2 of 15 users').waitFor();
      await row.getByRole('button', { name: 'Reactivate Ada Lovelace' }).waitFor();
      assert.equal(await page.locator('tr[data-member="grace.hopper@northwind.test"]').getByRole('button', { name: /Deactivate/ }).count(), 0, 'no deactivate for SCIM members');
    });

    it('searches and filters members', async () => {
      await page.getByLabel('Search members').fill('LOVE');
      await page.locator('tr[data-member="grace.hopper@northwind.test"]').waitFor({ state: 'detached' });
      await page.locator('tr[data-member="ada@northwind.test"]').waitFor();
      await page.getByLabel('Search members').fill('');
      await page.getByLabel('Source').selectOption('scim');
      await page.locator('tr[data-member="ada@northwind.test"]').waitFor({ state: 'detached' });
      await page.locator('tr[data-member="grace.hopper@northwind.test"]').waitFor();
      await page.getByLabel('Source').selectOption('');
    });

    it('Plan & seats shows the plan and the seat meter', async () => {
      await page.getByRole('link', { name: 'Plan & seats' }).click();
      await page.getByText('2 of 15 users').waitFor();
      assert.match(await page.locator('.plan-name').innerText(), /Enterprise/);
      assert.equal(await page.getByRole('meter', { name: 'Seats in use' }).getAttribute('aria-valuenow'), '2');
      await screenshot(page, `${dialect}-07-plan`);
    });

    it('revokes the key after confirming, and SCIM then answers 401 to it', async () => {
      await page.getByRole('link', { name: 'API Access' }).click();
      const row = page.locator(`tr[data-key-prefix="${generatedKey.slice(0, 11)}"]`);
      await row.getByRole('button', { name: /Revoke key/ }).click();
      const confirm = page.getByRole('dialog', { name: /^Revoke rk_/ });
      await confirm.getByText('401 Unauthorized').waitFor();
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await page.getByText(/was revoked\. Requests with it now get 401\./).waitFor();
      await row.getByText('Revoked').waitFor();
      const response = await scimClient(server.url, generatedKey).get('/Users?startIndex=1&count=2');
      assert.equal(response.status, 401);
      await page.getByLabel('API key', { exact: true }).fill(generatedKey);
      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.getByTestId('connection-result').filter({ hasText: 'Connection failed' }).waitFor();
      assert.match(await page.getByTestId('connection-result').innerText(), /HTTP 401/);
    });

    it('signs out: the console is closed and the API refuses the old session', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      const status = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
      assert.equal(status, 401);
    });
  });
}
