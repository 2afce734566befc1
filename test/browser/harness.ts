import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp } from '../../src/http/app.js';
import { DEFAULT_WEB_DIR } from '../../src/http/web-app.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { FAST_SECURITY } from '../helpers/api.js';

/**
 * Browser tests drive Debian's Chromium (/usr/bin/chromium, installed by .ci/run; never a
 * downloaded browser) with playwright-core against a real Relief server on loopback: a fresh
 * SQLite database, the services, the API and the built web app (dist/web from `npm run build`, or
 * RELIEF_WEB_DIR).
 */

export const CHROMIUM = process.env.RELIEF_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('build/screenshots');

export interface ReliefServer {
  baseUrl: string;
  services: ReliefServices;
  store: KyselyStore;
  close(): Promise<void>;
}

export async function startRelief(options: { clock?: () => Date } = {}): Promise<ReliefServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'relief-browser-'));
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'relief.sqlite') }, { migrate: true });
  const services = createServices(store, { clock: options.clock, security: FAST_SECURITY });
  const app = await buildApp(services, { webDir: process.env.RELIEF_WEB_DIR ?? DEFAULT_WEB_DIR });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    services,
    store,
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium headless, with the flags this machine's closed network needs, and a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run \`bash scripts/ensure-chromium.sh\` (Debian's chromium package)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone: 390×844 CSS pixels, touch, as the patient's diary is used. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
  });
}

/** A desktop screen, as the clinic and registry pages are used. */
export async function desktopContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Paris' });
}

/** Signs in through the sign-in page and waits until the app has left it. */
export async function signIn(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  next = '/',
): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** A full-page screenshot under build/screenshots, to look at. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's violations of impact serious or critical on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy stays in force.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable list of violations, for an assertion message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
}
