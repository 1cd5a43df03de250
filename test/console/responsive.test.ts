/**
 * The console at phone width (375 px) and by keyboard alone, on an account without SCIM
 * (Professional plan): the navigation drawer, the plan notice, empty states and no sideways
 * scrolling of the page. Layout does not depend on the database, so this runs on SQLite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPage, overflowsHorizontally, screenshot, startE2eServer, type E2eServer } from './browser.js';

describe('Admin console at phone width, by keyboard, on the Professional plan', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let owner: { email: string; password: string };

  before(async () => {
    server = await startE2eServer('sqlite');
    const created = await server.roster.accounts.createAccount({ name: 'Pocket Events', plan: 'professional', ownerEmail: 'owner@pocket.test' });
    assert.ok(created.owner);
    owner = created.owner;
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, server.url, 375, 812));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs in with the keyboard only', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').waitFor();
    assert.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), 'email', 'the email field has focus');
    await page.keyboard.type(owner.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(owner.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'phone-01-members');
  });

  it('opens the navigation drawer from the menu button and closes it on navigation', async () => {
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByRole('link', { name: 'API Access' }).isVisible(), false, 'the drawer is closed');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await page.getByRole('link', { name: 'API Access' }).waitFor();
    assert.equal(await page.evaluate<string | undefined>('document.activeElement?.textContent'), 'Members', 'focus moves into the drawer');
    await screenshot(page, 'phone-02-menu');
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'Escape closes the drawer');
    await menu.click();
    await page.getByRole('link', { name: 'API Access' }).click();
    await page.getByRole('heading', { name: 'API Access', level: 1 }).waitFor();
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  });

  it('explains that SCIM needs the Enterprise plan and does not offer to generate keys', async () => {
    await page.getByText('SCIM provisioning needs the Enterprise plan').waitFor();
    assert.match(await page.getByRole('status').filter({ hasText: 'Enterprise plan' }).innerText(), /Professional plan/);
    assert.equal(await page.getByRole('button', { name: 'Generate key' }).isDisabled(), true);
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'phone-03-api-access');
  });

  it('the setup guide tabs work with the arrow keys', async () => {
    const okta = page.getByRole('tab', { name: 'Okta' });
    await okta.focus();
    await page.keyboard.press('ArrowRight');
    const entra = page.getByRole('tab', { name: 'Microsoft Entra ID' });
    assert.equal(await entra.getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate<string | null | undefined>('document.activeElement?.textContent'), 'Microsoft Entra ID');
    await page.getByRole('tabpanel').getByText('Tenant URL').waitFor();
  });

  it('shows the activity page with its chart and an empty state without sideways scrolling', async () => {
    await page.goto('/activity');
    await page.getByText('No provisioning activity yet').waitFor();
    assert.equal(await page.locator('.chart-bar').count(), 30);
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'phone-04-activity');
  });

  it('shows teams and plan pages at phone width', async () => {
    await page.goto('/teams');
    await page.getByText('No teams yet').waitFor();
    assert.equal(await overflowsHorizontally(page), false);
    await page.goto('/settings/plan');
    await page.getByText('1 of 10 users').waitFor();
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'phone-05-plan');
  });

  it('an unknown console page shows a not-found state inside the console', async () => {
    await page.goto('/settings/nothing-here');
    await page.getByText('Page not found').waitFor();
  });
});
