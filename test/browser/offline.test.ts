import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInZone } from '../../src/domain/time.js';
import { DEFAULT_WEB_DIR } from '../../src/http/web-app.js';
import { addPatient, addSite, addUser, auditSince, SEEDER } from '../helpers/api.js';
import {
  describeViolations,
  launchBrowser,
  phoneContext,
  type ReliefServer,
  saveScreenshot,
  seriousA11yViolations,
  signIn,
  startRelief,
} from './harness.js';

/**
 * The diary on a flaky connection, through the real app: the service worker opens it offline,
 * entries wait on the phone (IndexedDB) and reach the server exactly once, whatever is lost on
 * the way. Each test has a patient of its own, so counts on the server are exact.
 */
/** Page-side code (this test's TypeScript has no DOM library, hence the loose types). */
const WORKER_IN_CONTROL = () =>
  (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker
    .controller !== null;
const CACHE_NAMES = 'caches.keys()';
/**
 * Longer than the outbox's first retry (RETRY_FIRST_MS, 2 s, in web/src/offline/outbox.ts): a
 * duplicate sent by a retry would show within this.
 */
const PAST_FIRST_RETRY_MS = 3_000;
/** What the app keeps on the device (page-side): relief.* localStorage keys, IndexedDB keys. */
const DEVICE_DATA = `(async () => {
  const local = Object.keys(localStorage).filter((k) => k.startsWith('relief.')).sort();
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open('relief-offline');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ko(r.error);
  });
  const keys = (store) =>
    new Promise((ok) => {
      const r = db.transaction(store).objectStore(store).getAllKeys();
      r.onsuccess = () => ok(r.result);
    });
  const result = { local, versions: await keys('versions'), outbox: await keys('outbox') };
  db.close();
  return result;
})()`;
interface DeviceData {
  local: string[];
  versions: string[];
  outbox: string[];
}

describe('offline diary (browser)', () => {
  let server: ReliefServer;
  let browser: Browser;
  let patients = 0;

  beforeAll(async () => {
    server = await startRelief();
    browser = await launchBrowser();
    await addSite(server.services, 'lyon');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPatient(): Promise<{ patientId: string; username: string }> {
    patients++;
    const patientId = `p${patients}`;
    const username = `patient${patients}`;
    await addPatient(server.services, patientId, 'lyon');
    await addUser(server.services, { username, role: 'patient', patientId });
    return { patientId, username };
  }

  const attacksOf = async (patientId: string) =>
    (await server.services.diary.list(SEEDER, 'attack', patientId, {})).map((a) => ({
      id: a.id,
      version: a.version,
      data: a.data,
    }));
  /** Outcomes of the attack's PUT requests as the audit log recorded them ('ok' = written). */
  const putsOf = async (id: string) =>
    (await auditSince(server.store, 0))
      .filter((r) => r.entityId === id && r.action === 'attack.put')
      .map((r) => r.outcome);

  /** Signed in on a phone, online, with the service worker installed and in control. */
  async function phoneOf(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, username, `${username}-secret-pw`);
    await page.waitForFunction(WORKER_IN_CONTROL);
    await headacheNow(page).waitFor();
    return { context, page };
  }

  const headacheNow = (page: Page) => page.getByRole('button', { name: 'Headache now' });
  const outboxLine = (page: Page) => page.locator('.outbox [role="status"]');

  /** "Headache now", then the intensity: returns the new attack's id. */
  async function logAttack(page: Page, level: 'Mild' | 'Moderate' | 'Severe' = 'Moderate'): Promise<string> {
    const intensity = page.getByRole('button', { name: new RegExp(`^${level}`) });
    // Today ignores a tap in its first moments (the second half of a double tap): tap until asked.
    for (let tries = 0; !(await intensity.isVisible()) && tries < 10; tries++) {
      await headacheNow(page).click();
      await intensity.waitFor({ timeout: 500 }).catch(() => undefined);
    }
    await intensity.click();
    const details = page.locator('.headache-now').getByRole('link', { name: 'Add details' });
    const href = await details.getAttribute('href');
    return decodeURIComponent(href!.replace('/attacks/', ''));
  }

  /**
   * PUTs of attacks reach the server, but their answers never reach the phone: the first only,
   * or all until `stop()`.
   */
  async function loseAnswers(page: Page, which: 'first' | 'until-stopped' = 'first') {
    let lost = 0;
    let stopped = false;
    await page.route('**/api/v1/patients/*/attacks/*', async (route) => {
      if (route.request().method() === 'PUT' && !stopped && (which === 'until-stopped' || lost === 0)) {
        lost++;
        await route.fetch(); // the server stores it…
        await route.abort('connectionreset'); // …and the phone never hears back
      } else await route.continue();
    });
    return { lost: () => lost, stop: () => (stopped = true) };
  }

  async function expectAccessible(page: Page): Promise<void> {
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  it('opens offline from the service worker, keeps an attack on the phone, and sends it once', async () => {
    const { patientId, username } = await newPatient();
    const { context, page } = await phoneOf(username);
    await expect.poll(() => outboxLine(page).textContent()).toBe('All entries sent');

    await context.setOffline(true);
    // The premise: neither the page nor its service worker can reach the server.
    const reach = () =>
      fetch('/api/v1/health').then(
        () => 'online',
        () => 'offline',
      );
    expect(await context.serviceWorkers()[0]!.evaluate(reach)).toBe('offline');
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    expect(reloaded?.status()).toBe(200);

    const id = await logAttack(page, 'Severe');
    await expect
      .poll(() => outboxLine(page).textContent())
      .toBe('1 entry waiting to be sent — they go as soon as you are online');
    await expect(page.locator('.ongoing-attack').textContent()).resolves.toContain('waiting to be sent');
    await expectAccessible(page);
    await saveScreenshot(page, 'offline-waiting');
    expect(await attacksOf(patientId)).toEqual([]);
    // The details page (fetched on demand, so precached by the worker) opens offline too.
    await page.locator('.ongoing-attack').getByRole('link', { name: 'Add details' }).click();
    await page.getByRole('heading', { level: 1, name: 'Attack details' }).waitFor();
    await page.goBack();
    await headacheNow(page).waitFor();

    await context.setOffline(false);
    await expect.poll(() => outboxLine(page).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    const stored = await attacksOf(patientId);
    expect(stored.map((a) => [a.id, a.version, a.data.intensityLevel, a.data.end])).toEqual([
      [id, 1, 'severe', undefined],
    ]);
    expect(await putsOf(id)).toEqual(['ok']);

    await page.reload();
    await headacheNow(page).waitFor();
    await expect.poll(() => outboxLine(page).textContent()).toMatch(/^All entries sent/);
    await page.waitForTimeout(PAST_FIRST_RETRY_MS);
    expect(await putsOf(id)).toEqual(['ok']);
    expect(await attacksOf(patientId)).toHaveLength(1);
    await context.close();
  });

  it('sends an attack whose answer was lost again; the server answers "unchanged": one attack', async () => {
    const { patientId, username } = await newPatient();
    const { context, page } = await phoneOf(username);
    const answers = await loseAnswers(page);
    const id = await logAttack(page);
    expect(answers.lost()).toBe(1);
    await expect(page.locator('.headache-now').textContent()).resolves.toContain('Saved on this phone');
    await expect.poll(() => outboxLine(page).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    expect(await putsOf(id)).toEqual(['ok', 'unchanged']);
    expect((await attacksOf(patientId)).map((a) => [a.id, a.version])).toEqual([[id, 1]]);
    await context.close();
  });

  it('sends only the last state of an attack started and ended while offline', async () => {
    const { patientId, username } = await newPatient();
    const { context, page } = await phoneOf(username);
    await context.setOffline(true);
    const id = await logAttack(page, 'Mild');
    await page.getByRole('button', { name: 'It stopped now' }).click();
    await page.getByText(/^Attack ended at/).waitFor();
    await expect
      .poll(() => outboxLine(page).textContent())
      .toBe('1 entry waiting to be sent — they go as soon as you are online');

    await context.setOffline(false);
    await expect.poll(() => outboxLine(page).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    const stored = await attacksOf(patientId);
    expect(stored.map((a) => [a.id, a.version, a.data.intensityLevel])).toEqual([[id, 1, 'mild']]);
    expect(typeof stored[0]!.data.end).toBe('string');
    expect(await putsOf(id)).toEqual(['ok']);
    await context.close();
  });

  it('puts an edit on top of its own earlier write whose answer was lost', async () => {
    const { patientId, username } = await newPatient();
    const { context, page } = await phoneOf(username);
    const answers = await loseAnswers(page, 'until-stopped');
    // The list does not load either, so the page never learns the version the server gave.
    await page.route('**/api/v1/patients/*/attacks?*', (route) => route.abort('connectionreset'));
    const id = await logAttack(page);
    await page.locator('.ongoing-attack').waitFor();
    answers.stop();
    await page.getByRole('button', { name: 'It stopped now' }).click();
    await page.getByText(/^Attack ended at/).waitFor();
    await expect.poll(() => outboxLine(page).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    const stored = await attacksOf(patientId);
    expect(stored.map((a) => [a.id, a.version])).toEqual([[id, 2]]);
    expect(typeof stored[0]!.data.end).toBe('string');
    expect((await putsOf(id)).filter((o) => o === 'ok')).toEqual(['ok', 'ok']);
    await context.close();
  });

  it('never overwrites a change made elsewhere: the offline edit waits as not accepted', async () => {
    const { patientId, username } = await newPatient();
    const id = crypto.randomUUID();
    const original = { id, start: formatInZone(Date.now() - 3_600_000, 'Europe/Paris'), intensityLevel: 'moderate' };
    await server.services.diary.put(SEEDER, 'attack', patientId, id, original, undefined);
    const { context, page } = await phoneOf(username);
    await page.locator('.ongoing-attack').waitFor();

    await context.setOffline(true);
    await page.getByRole('button', { name: 'It stopped now' }).click();
    await page.getByText(/^Attack ended at/).waitFor();
    const theirs = { ...original, notes: 'corrected at the clinic' };
    await server.services.diary.put(SEEDER, 'attack', patientId, id, theirs, 1);

    await context.setOffline(false);
    const rejected = page.locator('.outbox-rejected');
    await rejected.waitFor({ timeout: 15_000 });
    await expect(rejected.textContent()).resolves.toContain('It was changed elsewhere');
    expect(await attacksOf(patientId)).toEqual([{ id, version: 2, data: theirs }]);

    // "Correct it" shows the version saved at the clinic, and the change is made on top of it.
    await rejected.getByRole('link', { name: 'Correct it' }).click();
    await page.getByRole('heading', { level: 1, name: 'Attack details' }).waitFor();
    await page.getByText(/^This entry was changed elsewhere/).waitFor();
    expect(await page.getByRole('textbox', { name: 'Notes' }).inputValue()).toBe('corrected at the clinic');
    await expectAccessible(page);
    await saveScreenshot(page, 'offline-correct-conflict');
    await page.getByRole('button', { name: 'It stopped now' }).click();
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const [corrected] = await attacksOf(patientId);
    expect([corrected!.version, corrected!.data.notes, typeof corrected!.data.end]).toEqual([
      3,
      'corrected at the clinic',
      'string',
    ]);
    await page.getByRole('link', { name: 'Back to Today' }).click();
    await expect.poll(() => outboxLine(page).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    await context.close();
  });

  it('sends a waiting edit on the version it was made on, though a page read a newer one meanwhile', async () => {
    const { patientId, username } = await newPatient();
    const id = crypto.randomUUID();
    const original = { id, start: formatInZone(Date.now() - 3_600_000, 'Europe/Paris'), intensityLevel: 'moderate' };
    await server.services.diary.put(SEEDER, 'attack', patientId, id, original, undefined);
    const { context, page } = await phoneOf(username);
    await page.locator('.ongoing-attack').waitFor();

    // Writes of attacks do not get through: the end waits on the phone, made on version 1.
    const refuseWrites = '**/api/v1/patients/*/attacks/*';
    await page.route(refuseWrites, (route) =>
      route.request().method() === 'PUT' ? route.abort('connectionrefused') : route.continue(),
    );
    await page.getByRole('button', { name: 'It stopped now' }).click();
    await page.getByText(/^Attack ended at/).waitFor();
    await expect.poll(() => outboxLine(page).textContent()).toMatch(/^1 entry waiting/);
    const theirs = { ...original, notes: 'corrected at the clinic' };
    await server.services.diary.put(SEEDER, 'attack', patientId, id, theirs, 1);

    // The patient opens the attack: the page reads version 2, but shows (and keeps) the phone's edit.
    const read = page.waitForResponse(
      (r) => r.request().method() === 'GET' && r.url().endsWith(`/attacks/${id}`) && r.status() === 200,
    );
    await page.goto(`${server.baseUrl}/attacks/${id}`);
    await read;
    await page.getByRole('heading', { level: 1, name: 'Attack details' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Notes' }).inputValue()).toBe('');

    // Back online: the edit is refused as made on an old version, not written over the clinic's.
    await page.unroute(refuseWrites);
    await page.goto(`${server.baseUrl}/today`);
    const rejected = page.locator('.outbox-rejected');
    await rejected.waitFor({ timeout: 15_000 });
    await expect(rejected.textContent()).resolves.toContain('It was changed elsewhere');
    expect(await attacksOf(patientId)).toEqual([{ id, version: 2, data: theirs }]);
    // The clinic's two writes, then the phone's, refused.
    expect(await putsOf(id)).toEqual(['ok', 'ok', 'conflict']);
    await context.close();
  });

  it('says plainly that the day already has a check-in when the server refuses a second one', async () => {
    const { patientId, username } = await newPatient();
    const { context, page } = await phoneOf(username);
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Do the check-in' }).click();
    await page.getByRole('checkbox', { name: 'No headache today' }).check();
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByRole('status').filter({ hasText: 'Check-in saved on this phone' }).waitFor();
    // Meanwhile the day's check-in was recorded on another device.
    const date = formatInZone(Date.now(), 'Europe/Paris').slice(0, 10);
    const theirs = { date, noHeadache: true, preventiveTaken: true };
    await server.services.diary.put(SEEDER, 'daily-record', patientId, crypto.randomUUID(), theirs, undefined);

    await context.setOffline(false);
    await page.goto(`${server.baseUrl}/today`);
    const rejected = page.locator('.outbox-rejected');
    await rejected.waitFor({ timeout: 15_000 });
    const message = await rejected.locator('.outbox-error').textContent();
    expect(message).toMatch(/^There is already a check-in for .+ on the server\./);
    expect(message).not.toContain('changed elsewhere');
    expect(await rejected.getByRole('link', { name: 'Correct it' }).getAttribute('href')).toBe(
      `/check-in?date=${date}`,
    );
    await expectAccessible(page);
    const records = await server.services.diary.list(SEEDER, 'daily-record', patientId, {});
    expect(records.map((r) => r.data)).toEqual([theirs]);
    await context.close();
  });

  it('shows an entry the server refuses with its message, keeps it, and discards it only when confirmed', async () => {
    const { patientId, username } = await newPatient();
    const { context, page } = await phoneOf(username);
    await context.setOffline(true);
    const id = await logAttack(page, 'Severe');
    const message = 'body.start: must be an instant with its UTC offset';
    await page.route('**/api/v1/patients/*/attacks/*', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              error: {
                code: 'invalid',
                message,
                issues: [{ path: 'body.start', message: 'must be an instant with its UTC offset' }],
              },
            }),
          })
        : route.continue(),
    );
    await context.setOffline(false);
    const rejected = page.locator('.outbox-rejected');
    await rejected.waitFor({ timeout: 15_000 });
    await expect(outboxLine(page).textContent()).resolves.toBe('1 entry was not accepted — see below');
    await expect(rejected.textContent()).resolves.toContain('The server asks for these corrections:');
    await expect(rejected.textContent()).resolves.toContain('start: must be an instant with its UTC offset');
    expect(await rejected.getByRole('link', { name: 'Correct it' }).getAttribute('href')).toBe(`/attacks/${id}`);
    await expect(page.locator('.ongoing-attack').textContent()).resolves.toContain('not accepted');
    await expectAccessible(page);
    await saveScreenshot(page, 'offline-rejected');
    expect(await attacksOf(patientId)).toEqual([]);

    // Still there after a reload: nothing the patient saved disappears by itself.
    await page.reload();
    await rejected.waitFor();
    await rejected.getByRole('button', { name: 'Discard…' }).click();
    await expect(rejected.textContent()).resolves.toContain('Discard this entry?');
    await expectAccessible(page);
    await rejected.getByRole('button', { name: 'Keep it' }).click();
    await rejected.getByRole('button', { name: 'Discard…' }).click();
    await rejected.getByRole('button', { name: 'Discard it' }).click();
    await rejected.waitFor({ state: 'detached' });
    await expect.poll(() => outboxLine(page).textContent()).toMatch(/^All entries sent/);
    expect(await attacksOf(patientId)).toEqual([]);
    await context.close();
  });

  it('sends each entry once when two open tabs come back online together', async () => {
    const { patientId, username } = await newPatient();
    const { context, page } = await phoneOf(username);
    const other = await context.newPage();
    await other.goto(`${server.baseUrl}/today`);
    await headacheNow(other).waitFor();
    await context.setOffline(true);
    const id = await logAttack(page);
    await expect.poll(() => outboxLine(other).textContent()).toMatch(/^1 entry waiting/);
    await context.setOffline(false);
    await expect.poll(() => outboxLine(other).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    await expect.poll(() => outboxLine(page).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    expect(await putsOf(id)).toEqual(['ok']);
    expect(await attacksOf(patientId)).toHaveLength(1);
    await context.close();
  });

  it('keeps waiting entries through a sign-out, for their author only, and sends them after sign-in', async () => {
    const anna = await newPatient();
    const ben = await newPatient();
    const { context, page } = await phoneOf(anna.username);
    const sent = await logAttack(page);
    await expect.poll(() => outboxLine(page).textContent()).toMatch(/^All entries sent/);
    await context.setOffline(true);
    const id = await logAttack(page);
    // Back online, but the server does not take writes: sign-out cannot send the entry.
    await page.route('**/api/v1/patients/*/attacks/*', (route) => route.abort('connectionrefused'));
    await context.setOffline(false);
    const before = await page.evaluate<DeviceData>(DEVICE_DATA);
    expect(before.local).toEqual(
      expect.arrayContaining([
        `relief.capture.${anna.patientId}`,
        `relief.outbox.syncedAt.${anna.patientId}`,
        'relief.user',
      ]),
    );
    expect(before.versions).toContain(`${anna.patientId}/attack/${sent}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.unroute('**/api/v1/patients/*/attacks/*');
    // Nothing of Anna's health data stays on the phone but the entry still waiting to be sent.
    expect(await page.evaluate<DeviceData>(DEVICE_DATA)).toEqual({
      local: [],
      versions: [],
      outbox: [`${anna.patientId}/attack/${id}`],
    });

    // Another patient on the same phone neither sees nor sends it.
    await signIn(page, server.baseUrl, ben.username, `${ben.username}-secret-pw`);
    await expect.poll(() => outboxLine(page).textContent()).toMatch(/^All entries sent/);
    await page.waitForTimeout(PAST_FIRST_RETRY_MS);
    expect((await attacksOf(anna.patientId)).map((a) => a.id)).toEqual([sent]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');

    await signIn(page, server.baseUrl, anna.username, `${anna.username}-secret-pw`);
    await expect.poll(() => outboxLine(page).textContent(), { timeout: 15_000 }).toMatch(/^All entries sent/);
    expect((await attacksOf(anna.patientId)).map((a) => [a.id, a.version]).sort()).toEqual(
      [
        [sent, 1],
        [id, 1],
      ].sort(),
    );
    expect(await attacksOf(ben.patientId)).toEqual([]);
    await context.close();
  });

  it('keeps the app shell in a cache named after the build, and a new build replaces it', async () => {
    // A server of its own on a copy of the built app, so that "deploying" a new build here
    // changes nothing for the other tests.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'relief-web-'));
    await cp(process.env.RELIEF_WEB_DIR ?? DEFAULT_WEB_DIR, dir, { recursive: true });
    const before = process.env.RELIEF_WEB_DIR;
    process.env.RELIEF_WEB_DIR = dir;
    const deployed = await startRelief().finally(() => {
      if (before === undefined) delete process.env.RELIEF_WEB_DIR;
      else process.env.RELIEF_WEB_DIR = before;
    });
    try {
      await addSite(deployed.services, 'lyon');
      await addPatient(deployed.services, 'p1', 'lyon');
      await addUser(deployed.services, { username: 'anna', role: 'patient', patientId: 'p1' });
      const worker = await readFile(path.join(dir, 'sw.js'), 'utf8');
      const build = JSON.parse(/const BUILD = (\{.*\});/.exec(worker)![1]!) as { version: string; files: string[] };
      expect(build.version).toMatch(/^[0-9a-f]{12}$/);
      expect(build.files.some((f) => /^\/assets\/index-.*\.js$/.test(f))).toBe(true);
      expect(build.files.some((f) => /^\/assets\/AttackDetailsPage-.*\.js$/.test(f))).toBe(true);
      expect(build.files.some((f) => /^\/assets\/CohortPage-.*\.js$/.test(f))).toBe(false);

      const context = await phoneContext(browser);
      const page = await context.newPage();
      await signIn(page, deployed.baseUrl, 'anna', 'anna-secret-pw');
      await page.waitForFunction(WORKER_IN_CONTROL);
      expect(await page.evaluate(CACHE_NAMES)).toEqual([`relief-${build.version}`]);
      const files = JSON.stringify(['/index.html', ...build.files]);
      const missing = await page.evaluate<string[]>(
        `Promise.all(${files}.map(async (f) => ((await caches.match(f)) ? null : f))).then((m) => m.filter(Boolean))`,
      );
      expect(missing).toEqual([]);
      // What the API answered is never kept.
      expect(await page.evaluate(`caches.match('/api/v1/auth/me').then((r) => r === undefined)`)).toBe(true);

      // The next build: the same files under another version (the plugin derives it from them).
      const next = `${build.version.slice(0, 6)}000000`;
      await writeFile(path.join(dir, 'sw.js'), worker.replace(`"version":"${build.version}"`, `"version":"${next}"`));
      await page.evaluate('navigator.serviceWorker.getRegistration().then((r) => r.update())');
      await expect.poll(() => page.evaluate(CACHE_NAMES), { timeout: 15_000 }).toEqual([`relief-${next}`]);
      await context.close();
    } finally {
      await deployed.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
