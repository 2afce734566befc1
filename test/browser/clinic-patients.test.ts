import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPatient, addUser, ManualClock, SEEDER } from '../helpers/api.js';
import { FLAG_CLOCK, FLAG_PATIENTS, seedFlagPatients } from '../helpers/flag-patients.js';
import {
  describeViolations,
  desktopContext,
  launchBrowser,
  type ReliefServer,
  saveScreenshot,
  seriousA11yViolations,
  startRelief,
} from './harness.js';

/** The list's badge text of each flag. */
const FLAG_LABELS: Record<string, string> = {
  'follow-up-overdue': 'Follow-up overdue',
  'medication-overuse': 'Medication overuse',
  worsening: 'Worse after procedure',
  'low-compliance': 'Diary compliance low',
};

/** Two more patients of site A with no diary, so that the list has two pages of 10. */
const EXTRA = [
  { id: 'p-xavier', name: 'Xavier Extra', siteId: 'site-a', flags: ['low-compliance'] },
  { id: 'p-yara', name: 'Yara Extra', siteId: 'site-a', flags: ['low-compliance'] },
];
const SITE_A = [...FLAG_PATIENTS.filter((p) => p.siteId === 'site-a'), ...EXTRA];

describe('the clinician’s patient list and patient page (browser)', () => {
  const clock = new ManualClock(FLAG_CLOCK);
  let server: ReliefServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /**
   * A desktop page signed in as `username`. The server lives on 1 July 2024, so the session
   * cookie it sets has already expired for the browser's own clock: the session is set by hand,
   * and the page's clock is set to the server's day.
   */
  async function pageOf(username: string): Promise<Page> {
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: `${username}-secret-pw` }),
    });
    expect(login.status).toBe(200);
    const token = /relief_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const context = await desktopContext(browser);
    contexts.push(context);
    await context.addCookies([
      { name: 'relief_session', value: token, url: server.baseUrl, httpOnly: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    await page.clock.setFixedTime(new Date(FLAG_CLOCK));
    return page;
  }

  /** The rows of the patient table: id → the flag names its badges show. */
  async function tableFlags(page: Page): Promise<Record<string, string[]>> {
    const rows = page.locator('[data-testid="patient-table"] tbody tr');
    const out: Record<string, string[]> = {};
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const id = (await row.getAttribute('data-patient'))!;
      out[id] = await row.locator('.flag-label').allTextContents();
    }
    return out;
  }
  const rowIds = async (page: Page) =>
    page
      .locator('[data-testid="patient-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-patient')));
  const waitForRows = async (page: Page, n: number) => {
    await expect
      .poll(() => page.locator('[data-testid="patient-table"] tbody tr').count(), { timeout: 15_000 })
      .toBe(n);
  };

  beforeAll(async () => {
    server = await startRelief({ clock: clock.now });
    browser = await launchBrowser();
    const { services } = server;
    await seedFlagPatients(services);
    for (const p of EXTRA) await addPatient(services, p.id, p.siteId, { displayName: p.name });
    // Walter also had a nerve block before the procedure and a complication after it.
    await services.registry.put(
      SEEDER,
      'treatment',
      'p-walter',
      'block-walter',
      { type: 'nerve-block', start: '2024-03-12', site: 'occipital', side: 'bilateral', percentRelief: 70 },
      undefined,
    );
    await services.registry.put(
      SEEDER,
      'adverse-event',
      'p-walter',
      'ae-walter',
      {
        term: 'donor-site bruising',
        onset: '2024-05-04',
        resolved: '2024-05-20',
        grade: 'I',
        relation: 'related',
        procedureId: 'proc-p-walter',
      },
      undefined,
    );
    await addUser(services, { username: 'dr-north', role: 'clinician', siteIds: ['site-a'] });
    await addUser(services, { username: 'dr-south', role: 'clinician', siteIds: ['site-b'] });
    await addUser(services, { username: 'olivia', role: 'patient', patientId: 'p-olivia' });
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('lists a clinician’s patients with exactly the flags their numbers raise, the most flagged first', async () => {
    const page = await pageOf('dr-north');
    await page.goto(`${server.baseUrl}/clinic`);
    await page.getByRole('heading', { name: 'Patients', level: 1 }).waitFor();
    await waitForRows(page, SITE_A.length);
    expect(await tableFlags(page)).toEqual(
      Object.fromEntries(SITE_A.map((p) => [p.id, p.flags.map((f) => FLAG_LABELS[f]!)])),
    );
    // Site B's patient is not there, not even by name.
    await expect(page.locator('main').textContent()).resolves.not.toContain('Bea Southside');
    expect((await rowIds(page))[0]).toBe('p-gus');
    // The numbers behind a flag are written beside it.
    const lars = page.locator('tr[data-patient="p-lars"] [data-flag="low-compliance"]');
    await expect(lars.textContent()).resolves.toContain('22 of 28 days recorded');
    const mia = page.locator('tr[data-patient="p-mia"] [data-flag="medication-overuse"]');
    await expect(mia.textContent()).resolves.toContain('8.2.2 triptan overuse: 10 days in June 2024 (threshold 10)');
    // Worse by Guyuron's rule (MHI up ≥ 10 %), the only sourced one: 5 attacks against 4 at baseline.
    const walter = page.locator('tr[data-patient="p-walter"] [data-flag="worsening"]');
    await expect(walter.locator('.flag-evidence').textContent()).resolves.toBe(
      '1 month visit: MHI +25.0 % from baseline, Guyuron’s worsening (a rise of 10 % or more); ' +
        'MMD 5.0 against 4.0 at baseline',
    );
    // Sam's MMD is up (4 × 28 / 27 = 4.1) but his MHI only 3.7 %: no flag.
    await expect(page.locator('tr[data-patient="p-sam"] [data-flag]').count()).resolves.toBe(0);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('12 patients');

    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'clinic-patient-list');
  });

  it('searches and filters, keeping the choice in the URL, and pages through the list', async () => {
    const page = await pageOf('dr-north');
    await page.goto(`${server.baseUrl}/clinic`);
    await waitForRows(page, SITE_A.length);

    await page.getByLabel('Search by name or id').fill('trip');
    await page.getByRole('button', { name: 'Search' }).click();
    await waitForRows(page, 1);
    expect(await rowIds(page)).toEqual(['p-mia']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('trip');

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await waitForRows(page, SITE_A.length);
    await page.getByLabel('Flag', { exact: true }).selectOption('worsening');
    await waitForRows(page, 1);
    expect(await rowIds(page)).toEqual(['p-walter']);
    expect(new URL(page.url()).search).toBe('?flag=worsening');
    // The URL keeps the filter over a reload.
    await page.reload();
    await waitForRows(page, 1);
    expect(await rowIds(page)).toEqual(['p-walter']);
    await expect(page.getByLabel('Flag', { exact: true }).inputValue()).resolves.toBe('worsening');

    await page.getByLabel('Flag', { exact: true }).selectOption('any');
    const flagged = SITE_A.filter((p) => p.flags.length > 0).map((p) => p.id);
    await waitForRows(page, flagged.length);
    expect((await rowIds(page)).sort()).toEqual(flagged.sort());
    await page.getByLabel('Flag', { exact: true }).selectOption('');
    await page.getByLabel('Status', { exact: true }).selectOption('in-follow-up');
    await waitForRows(page, 4);
    expect((await rowIds(page)).sort()).toEqual(['p-dora', 'p-felix', 'p-sam', 'p-walter']);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Procedure', { exact: true }).selectOption('fat-transfer');
    await waitForRows(page, 4);
    await page.getByLabel('Procedure', { exact: true }).selectOption('');
    await page.getByLabel('Site', { exact: true }).selectOption('site-a');
    await waitForRows(page, SITE_A.length);
    expect(new URL(page.url()).searchParams.get('site')).toBe('site-a');

    // Ordered by name, ten to a page.
    await page.getByRole('button', { name: 'Name' }).click();
    await page.getByLabel('Rows per page').selectOption('10');
    await waitForRows(page, 10);
    const byName = [...SITE_A].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => p.id);
    expect(await rowIds(page)).toEqual(byName.slice(0, 10));
    await expect(page.getByText('Page 1 of 2').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForRows(page, 2);
    expect(await rowIds(page)).toEqual(byName.slice(10));
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
  });

  it('opens a patient’s page from the list: classification, candidacy, outcome and the timeline in date order', async () => {
    const page = await pageOf('dr-north');
    await page.goto(`${server.baseUrl}/clinic?flag=worsening`);
    await waitForRows(page, 1);
    await page.getByRole('link', { name: 'Walter Worse' }).click();
    await page.getByRole('heading', { name: 'Walter Worse', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/clinic/patients/p-walter');
    await expect(page.locator('.patient-facts').textContent()).resolves.toContain('Migraine');

    // ICHD-3: nine 6-hour attacks with the features of 1.1 meet 1.1 A.
    const m11 = page.locator('.diagnosis[data-code="1.1"]');
    await m11.waitFor();
    await expect(m11.locator('h3').textContent()).resolves.toContain('Criteria met');
    const a = m11.locator('tr[data-criterion="A"]');
    await expect(a.textContent()).resolves.toContain('≥5 attacks fulfilling criteria B–D');
    await expect(a.textContent()).resolves.toContain('Met');
    await expect(a.textContent()).resolves.toContain('9 attacks');
    await expect(page.locator('.diagnosis[data-code="1.3"] h3').textContent()).resolves.toContain('Not met');

    // Candidacy: items with status, evidence and source, and no overall verdict.
    const baseline = page.locator('[data-testid="candidacy-table"] tr[data-item="baseline-diary"]');
    await baseline.waitFor();
    await expect(baseline.textContent()).resolves.toMatch(
      /Baseline diary of 28 days.*Met.*28 of 28 days recorded.*Diary/,
    );
    const diagnosis = page.locator('tr[data-item="diagnosis-confirmed"]');
    await expect(diagnosis.textContent()).resolves.toMatch(
      /Unknown.*not answered yet.*the diary meets: 1\.1.*Clinician/,
    );

    // The outcome table of the procedure (baseline 4 MMD, 5 at one month).
    const outcome = page.locator('[data-testid="outcome-table"]');
    await outcome.waitFor();
    await expect(outcome.locator('tr[data-visit="baseline"]').textContent()).resolves.toContain('4.0');
    await expect(page.locator('tr[data-visit="m1"]').first().textContent()).resolves.toContain('5.0');

    // The timeline, in date order: the block, April's diary, the procedure, the complication, May's diary…
    const items = page.locator('[data-testid="timeline"] li');
    await items.first().waitFor();
    const texts = await items.allTextContents();
    const at = (pattern: RegExp) => texts.findIndex((x) => pattern.test(x));
    const order = [
      at(/12 Mar 2024.*Nerve block: occipital \(bilateral\).*70 % relief/),
      at(/1 Apr 2024.*Diary month.*April 2024.*4 migraine days/),
      at(/25 Apr 2024.*Questionnaire.*MIDAS/),
      at(/1 May 2024.*Procedure.*Fat transfer at site-a, surgeon S01.*occipital \(bilateral\) 4 ml/),
      at(/1 May 2024.*Diary month.*May 2024.*5 migraine days/),
      at(/4 May 2024.*Complication.*donor-site bruising: Clavien–Dindo grade I.*resolved 20 May 2024/),
      at(/1 Jul 2024.*Diary month.*July 2024/),
    ];
    expect(
      order.every((i) => i >= 0),
      texts.join('\n'),
    ).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);

    // The trend chart is drawn (Observable Plot, fetched on demand).
    await page.locator('#diary svg').first().waitFor();
    // Links to record more and to the visit report.
    for (const [name, path] of [
      ['Procedure', 'procedures/new'],
      ['Other treatment', 'treatments/new'],
      ['Complication', 'adverse-events/new'],
      ['Questionnaire', 'questionnaires/new'],
      ['Visit report', 'report'],
    ]) {
      await expect(page.getByRole('link', { name, exact: true }).getAttribute('href')).resolves.toBe(
        `/clinic/patients/p-walter/${path}`,
      );
    }

    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'clinic-patient-page');
  });

  it('a patient cannot open another patient’s page: refused, with none of their data, and the API answers 404', async () => {
    const page = await pageOf('olivia');
    await page.goto(`${server.baseUrl}/clinic/patients/p-walter`);
    await page.getByRole('heading', { name: 'You may not open this page.' }).waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain('Walter');
    expect(body).not.toContain('Worse');
    for (const path of ['', '/analysis', '/procedures', '/candidacy', '/follow-up']) {
      const res = await page.request.get(`${server.baseUrl}/api/v1/patients/p-walter${path}`);
      expect(res.status(), path).toBe(404);
      expect(await res.text()).not.toContain('Walter');
    }
    // Her own record answers, so the refusal is about the other patient, not the session.
    expect((await page.request.get(`${server.baseUrl}/api/v1/patients/p-olivia`)).status()).toBe(200);
    expect((await page.request.get(`${server.baseUrl}/api/v1/patient-overview`)).status()).toBe(403);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('a clinician opening another site’s patient sees “not found” and none of their data', async () => {
    const page = await pageOf('dr-north');
    await page.goto(`${server.baseUrl}/clinic/patients/p-bea`);
    await page.getByRole('heading', { name: 'Patient not found', level: 1 }).waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain('Bea');
    expect(body).not.toContain('Southside');
    expect((await page.request.get(`${server.baseUrl}/api/v1/patients/p-bea/analysis`)).status()).toBe(404);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    // The clinician of site B sees her.
    const south = await pageOf('dr-south');
    await south.goto(`${server.baseUrl}/clinic/patients/p-bea`);
    await south.getByRole('heading', { name: 'Bea Southside', level: 1 }).waitFor();
  });
});
