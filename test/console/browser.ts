/**
 * End-to-end harness: a Roster server on loopback whose PUBLIC_URL is its real address (so the
 * console's SCIM base URL works as shown) and Debian's Chromium driven by playwright-core.
 * No browser is ever downloaded: CI installs the `chromium` package (.ci/run).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildRosterServer, openRoster, type Roster } from '../../src/app.js';
import type { DialectName } from '../../src/db/database.js';
import { CONSOLE_DIST } from '../../src/http/admin/console-static.js';
import { createTestDatabase } from '../helpers/databases.js';

export const CHROMIUM = process.env['ROSTER_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where screenshots go when ROSTER_SCREENSHOTS is set (for reviewing the pages by eye). */
const SCREENSHOT_DIR = process.env['ROSTER_SCREENSHOTS'];

export interface E2eServer {
  readonly url: string;
  readonly roster: Roster;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startE2eServer(dialect: DialectName): Promise<E2eServer> {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) throw new Error('console/dist is missing: run `npm run build` before the console tests.');
  const database = await createTestDatabase(dialect);
  const roster = await openRoster({ databaseUrl: database.url, databasePoolSize: 5 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await buildRosterServer(roster, { publicUrl: url, bodyLimitBytes: 1_048_576, logLevel: false });
  await app.listen({ host: '127.0.0.1', port });
  return {
    url,
    roster,
    async close() {
      await app.close();
      await roster.database.close();
      await database.drop();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newPage(browser: Browser, baseURL: string, width = 1280, height = 860): Promise<{ context: BrowserContext; page: Page }> {
  // Reduced motion: the console then skips its transitions, so what a locator sees is final.
  const context = await browser.newContext({ baseURL, viewport: { width, height }, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Saves a full-page screenshot when ROSTER_SCREENSHOTS names a folder; otherwise does nothing. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** True when the page scrolls sideways (wide content must scroll inside its own box). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
}

/** Signs in through the form, as a person would. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
}
