import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../src/cli/demo-command.js';
import type { CohortStatisticsReport } from '../../src/domain/cohort-stats.js';
import { addUser, bearer, SEEDER, type SeededUser } from '../helpers/api.js';
import {
  describeViolations,
  desktopContext,
  launchBrowser,
  type ReliefServer,
  saveScreenshot,
  SCREENSHOT_DIR,
  seriousA11yViolations,
  signIn,
  startRelief,
} from './harness.js';

/**
 * The cohort page against a synthetic registry of 550 patients with four years of diary (made-up
 * values, src/synthetic): every figure the page shows is checked against the API's own answer for
 * the same query and user, and every CSV against the table it stands for. The diaries end in the
 * past, so the statistics do not change with the day the test runs.
 */

const SITES = ['demo-site-1', 'demo-site-2', 'demo-site-3'];
const DEMO = { seed: 7, patients: 550, months: 48, endDate: '2026-06-30' };

/** The page's number formats (en): a percentage with one decimal, fixed decimals. */
const pct = (x: number) =>
  `${(x * 100).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
const fixed = (x: number, digits: number) =>
  x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A table by its caption: header cells and body rows as text (closed <details> included). */
async function readTable(page: Page, caption: string): Promise<{ headers: string[]; rows: string[][] }> {
  const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) });
  await table.first().waitFor({ state: 'attached' });
  return table.first().evaluate((el) => ({
    headers: [...el.querySelectorAll('thead th')].map((c) => c.textContent ?? ''),
    rows: [...el.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent ?? '')),
  }));
}

/** RFC 4180 CSV as rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Clicks a "Download CSV" button and parses the file it gives. */
async function downloadCsv(page: Page, buttonName: string | RegExp): Promise<{ filename: string; rows: string[][] }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: buttonName }).click(),
  ]);
  const file = await download.path();
  return { filename: download.suggestedFilename(), rows: parseCsv(await readFile(file, 'utf8')) };
}

/** Waits until the charts are drawn (Observable Plot is fetched on demand). */
async function chartsDrawn(page: Page, count: number): Promise<void> {
  await expect
    .poll(() => page.locator('.plot-figure > [role="img"]').count(), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(count);
}

describe('the cohort page (browser)', () => {
  let server: ReliefServer;
  let browser: Browser;
  let clinician: SeededUser;
  let researcher: SeededUser;

  /** The API's answer for a query string, as the given user. */
  async function apiCohort(user: SeededUser, query: string): Promise<CohortStatisticsReport> {
    const res = await fetch(`${server.baseUrl}/api/v1/cohort${query}`, { headers: bearer(user.token) });
    expect(res.status).toBe(200);
    return (await res.json()) as CohortStatisticsReport;
  }

  async function openAs(user: SeededUser, path: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, user.user.username, user.password, path);
    await page.goto(`${server.baseUrl}${path}`);
    return { context, page };
  }

  beforeAll(async () => {
    server = await startRelief();
    const written = await writeDemo(server.services, DEMO);
    expect(written.procedures).toBeGreaterThan(300);
    clinician = await addUser(server.services, { username: 'dr-cohort', role: 'clinician', siteIds: SITES });
    researcher = await addUser(server.services, { username: 'res-cohort', role: 'researcher', siteIds: SITES });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a clinician the API’s responder rates, durability, numbers at risk and funnel, with CSVs of each table', async () => {
    const api = await apiCohort(clinician, '');
    const stats = api.statistics;
    const { context, page } = await openAs(clinician, '/clinic/cohort');
    await page.getByRole('heading', { name: 'Responder rates' }).waitFor();
    await chartsDrawn(page, 4);
    await expect(
      page.getByRole('status').filter({ hasText: 'procedures in this cohort' }).textContent(),
    ).resolves.toContain(`${api.n} procedures in this cohort`);

    // Responder rates at 12 months, 50 %: rate and Wilson interval as the API computed them.
    const m12 = stats.windows.find((w) => w.visitId === 'm12')!;
    const r50 = m12.responders.find((r) => r.threshold === 50)!;
    expect(r50.n).toBeGreaterThan(100);
    const responders = await readTable(page, 'Responder rates per window');
    expect(responders.rows).toHaveLength(stats.windows.length * 3);
    const shown = responders.rows.find((r) => r[0] === '12 months' && r[1] === '50')!;
    expect(shown).toEqual([
      '12 months',
      '50',
      String(r50.x),
      String(r50.n),
      pct(r50.rate!),
      pct(r50.lower!),
      pct(r50.upper!),
    ]);

    // Its CSV: the same rows and columns, the API's values unrounded.
    const csv = await downloadCsv(page, 'Download CSV: Responder rates per window');
    expect(csv.filename).toBe('cohort-responders.csv');
    expect(csv.rows[0]).toEqual(responders.headers);
    expect(csv.rows.slice(1)).toHaveLength(responders.rows.length);
    const expected = stats.windows.flatMap((w) =>
      w.responders.map((r) => [
        w.visitId,
        String(r.threshold),
        String(r.x),
        String(r.n),
        String(r.rate ?? ''),
        String(r.lower ?? ''),
        String(r.upper ?? ''),
      ]),
    );
    expect(csv.rows.slice(1)).toEqual(expected);
    csv.rows.slice(1).forEach((row, i) => {
      expect(responders.rows[i]![4]).toBe(row[4] === '' ? '—' : pct(Number(row[4])));
    });

    // Kaplan–Meier: the median with its interval, and the numbers at risk at day 180.
    const all = stats.durability.groups[0]!;
    expect(all.group).toBe('all');
    expect(all.median).not.toBeNull();
    const caption = await page.locator('figcaption').first().textContent();
    expect(caption).toContain(
      `All procedures: median time to relapse ${fixed(all.median!, 0)} days (${fixed(all.medianLower!, 0)} to ${
        all.medianUpper === null ? 'not reached' : fixed(all.medianUpper, 0)
      })`,
    );
    const atRisk = await readTable(page, 'Number at risk per group');
    const day180 = atRisk.headers.indexOf('Day 180');
    expect(day180).toBeGreaterThan(0);
    const atRisk180 =
      all.curve.filter((p) => p.time >= 180).length === 0 ? 0 : all.curve.find((p) => p.time >= 180)!.nRisk;
    expect(atRisk180).toBeGreaterThan(0);
    expect(atRisk180).toBeLessThan(all.n);
    expect(atRisk.rows[0]![0]).toBe('All procedures');
    expect(atRisk.rows[0]![day180]).toBe(String(atRisk180));
    expect(atRisk.rows[0]![1]).toBe(String(all.n));
    const atRiskCsv = await downloadCsv(page, 'Download CSV: Number at risk per group');
    expect(atRiskCsv.rows).toEqual([atRisk.headers, ['all', ...atRisk.rows[0]!.slice(1)]]);
    // The numbers under the chart's x axis are the table's.
    const svgText = await page.locator('#cohort-durability-heading ~ figure svg').first().textContent();
    expect(svgText).toContain('Number at risk');
    const curveCsv = await downloadCsv(page, 'Download CSV: Kaplan–Meier curve points');
    expect(curveCsv.rows.slice(1)).toHaveLength(all.curve.length);
    expect(curveCsv.rows[1]).toEqual(['all', '0', '1', '1', '1', String(all.n), '0', '0']);
    const last = all.curve[all.curve.length - 1]!;
    expect(curveCsv.rows[all.curve.length]!.slice(0, 3)).toEqual(['all', String(last.time), String(last.survival)]);

    // MMD change at 12 months: mean and Hodges–Lehmann median.
    const change = await readTable(page, 'Change from baseline per window: Migraine days per 28');
    const m12Change = change.rows.find((r) => r[0] === '12 months')!;
    expect(m12Change.slice(1, 4)).toEqual([
      String(m12.mmdChange.n),
      fixed(m12.mmdChange.mean!, 2),
      fixed(m12.mmdChange.meanLower!, 2),
    ]);
    expect(m12Change[7]).toBe(fixed(m12.mmdChange.hodgesLehmann!, 2));

    // The refusal of the regression, in words.
    expect(stats.predictors.refused).not.toBeNull();
    await expect(page.locator('.cohort-refused').textContent()).resolves.toContain('Not fitted. The rarer outcome');

    let violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'cohort');

    // Funnel of surgeons, then of sites (kept in the address).
    const surgeons = stats.funnels.find((f) => f.by === 'surgeon')!;
    const s1 = surgeons.units.find((u) => u.unit === 'S1')!;
    const surgeonTable = await readTable(page, 'Responder rate per surgeon at 12 months');
    expect(surgeonTable.rows.find((r) => r[0] === 'S1')).toEqual([
      'S1',
      String(s1.x),
      String(s1.n),
      pct(s1.rate),
      pct(s1.lower95),
      pct(s1.upper95),
      pct(s1.lower998),
      pct(s1.upper998),
      s1.position95,
      s1.position998,
    ]);
    await page.getByRole('radio', { name: 'Sites' }).check();
    await page.waitForURL((url) => url.searchParams.get('funnel') === 'site');
    const sites = stats.funnels.find((f) => f.by === 'site')!;
    const siteTable = await readTable(page, 'Responder rate per site at 12 months');
    expect(siteTable.rows.map((r) => [r[0], r[2], r[3]])).toEqual(
      sites.units.map((u) => [u.unit, String(u.n), pct(u.rate)]),
    );
    const siteCsv = await downloadCsv(page, 'Download CSV: Responder rate per site at 12 months');
    expect(siteCsv.filename).toBe('cohort-funnel-sites-m12.csv');
    expect(siteCsv.rows.slice(1)).toEqual(
      sites.units.map((u) =>
        [u.unit, u.x, u.n, u.rate, u.lower95, u.upper95, u.lower998, u.upper998, u.position95, u.position998].map(
          String,
        ),
      ),
    );
    await chartsDrawn(page, 4);
    violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page
      .locator('section[aria-labelledby="cohort-funnel-heading"]')
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'cohort-funnel-sites.png') });

    // The de-identified rows, one line per procedure.
    const rows = await downloadCsv(page, /Download the \d+ rows/);
    expect(rows.filename).toBe('cohort-patients.csv');
    expect(rows.rows.slice(1)).toHaveLength(api.n);
    const col = rows.rows[0]!.indexOf('m12.responder50');
    expect(col).toBeGreaterThan(0);
    expect(rows.rows.slice(1).filter((r) => r[col] === 'true')).toHaveLength(r50.x);
    expect(rows.rows.slice(1).filter((r) => r[col] !== '')).toHaveLength(r50.n);
    expect(rows.rows.every((r) => r.length === rows.rows[0]!.length)).toBe(true);
    await context.close();
  }, 120_000);

  it('puts a changed filter in the address and shows the numbers of the new cohort, fitted predictors included', async () => {
    const { context, page } = await openAs(clinician, '/clinic/cohort?funnel=site');
    await page.getByRole('heading', { name: 'Responder rates' }).waitFor();
    await page.getByLabel('Durability curves by').selectOption('site');
    await page.getByLabel('Window compared').selectOption('m3');
    await page.getByRole('button', { name: 'Show cohort' }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('groupBy') === 'site' && url.searchParams.get('window') === 'm3',
    );
    expect(new URL(page.url()).searchParams.get('funnel')).toBe('site');
    await page.getByRole('heading', { name: 'Who benefits' }).waitFor();
    const api = await apiCohort(clinician, '?groupBy=site&window=m3');
    const stats = api.statistics;

    // Durability per site, with the log-rank test.
    const atRisk = await readTable(page, 'Number at risk per group');
    expect(atRisk.rows.map((r) => [r[0], r[1]])).toEqual(
      stats.durability.groups.filter((g) => g.curve.length > 0).map((g) => [g.group, String(g.n)]),
    );
    expect(stats.durability.logRankP).not.toBeNull();
    await expect(page.locator('figcaption').first().textContent()).resolves.toContain('Log-rank test across groups');

    // The regression is fitted at 3 months: odds ratios with their intervals and p.
    expect(stats.predictors.refused).toBeNull();
    const predictors = await readTable(page, 'Odds ratios of a 50 % response at 3 months');
    const age = stats.predictors.terms.find((p) => p.predictor === 'age')!;
    expect(predictors.rows[0]).toEqual([
      age.description,
      String(age.missing),
      fixed(age.oddsRatio!, 2),
      fixed(age.lower!, 2),
      fixed(age.upper!, 2),
      age.p! < 0.001 ? '< 0.001' : fixed(age.p!, 3),
    ]);
    const predictorCsv = await downloadCsv(page, 'Download CSV: Odds ratios of a 50 % response at 3 months');
    expect(predictorCsv.filename).toBe('cohort-predictors-m3.csv');
    expect(predictorCsv.rows.slice(1)).toEqual(
      stats.predictors.terms.map((p) => [p.predictor, p.missing, p.oddsRatio, p.lower, p.upper, p.p].map(String)),
    );

    // Comparison of sites at 3 months, each against the reference with Newcombe's interval.
    const bySite = stats.comparisons.find((c) => c.by === 'site')!;
    const comparison = await readTable(page, 'By site (3 months)');
    const other = bySite.groups.find((g) => g.group !== bySite.reference)!;
    const row = comparison.rows.find((r) => r[0] === other.group)!;
    // A difference with its sign; the minus is U+2212.
    const signed = (x: number) => {
      const text = pct(Math.abs(x));
      return text === pct(0) ? text : `${x > 0 ? '+' : '\u2212'}${text}`;
    };
    expect(row.slice(1)).toEqual([
      String(other.x),
      String(other.n),
      pct(other.rate!),
      pct(other.lower!),
      pct(other.upper!),
      signed(other.difference!),
      signed(other.differenceLower!),
      signed(other.differenceUpper!),
    ]);
    expect(comparison.rows.find((r) => r[0] === `${bySite.reference} (reference)`)).toBeDefined();

    // A narrower cohort: chronic headache at baseline only.
    await page.getByLabel('Headache at baseline').selectOption('chronic');
    await page.getByRole('button', { name: 'Show cohort' }).click();
    await page.waitForURL((url) => url.searchParams.get('headacheType') === 'chronic');
    const chronic = await apiCohort(clinician, '?headacheType=chronic&groupBy=site&window=m3');
    expect(chronic.n).toBeLessThan(api.n);
    await expect(page.getByRole('status').filter({ hasText: 'in this cohort' }).textContent()).resolves.toContain(
      `${chronic.n} procedures in this cohort`,
    );
    const m12 = chronic.statistics.windows.find((w) => w.visitId === 'm12')!.responders[0]!;
    const responders = await readTable(page, 'Responder rates per window');
    expect(responders.rows.find((r) => r[0] === '12 months' && r[1] === '50')!.slice(2, 5)).toEqual([
      String(m12.x),
      String(m12.n),
      pct(m12.rate!),
    ]);
    await chartsDrawn(page, 4);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a researcher the API’s message at the date field for a date that is not a whole year, then the year’s cohort', async () => {
    const { context, page } = await openAs(researcher, '/clinic/cohort');
    await page.getByRole('heading', { name: 'Responder rates' }).waitFor();
    await page.getByLabel('Procedures from').fill('2024-03-01');
    await page.getByRole('button', { name: 'Show cohort' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === '2024-03-01');
    const res = await fetch(`${server.baseUrl}/api/v1/cohort?from=2024-03-01`, { headers: bearer(researcher.token) });
    expect(res.status).toBe(400);
    const message = ((await res.json()) as { error: { issues: { path: string; message: string }[] } }).error.issues[0]!
      .message;
    expect(message).toContain('whole years');
    const field = page.locator('.field', { has: page.getByLabel('Procedures from') });
    await expect(field.locator('.field-error').textContent()).resolves.toBe(message);
    await expect(page.getByLabel('Procedures from').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('alert').textContent()).resolves.toContain(`Procedures from: ${message}`);
    let violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    await page.getByLabel('Procedures from').fill('2024-01-01');
    await page.getByLabel('Procedures to').fill('2024-12-31');
    await page.getByRole('button', { name: 'Show cohort' }).click();
    await page.waitForURL((url) => url.searchParams.get('to') === '2024-12-31');
    await page.getByRole('heading', { name: 'Responder rates' }).waitFor();
    const api = await apiCohort(researcher, '?from=2024-01-01&to=2024-12-31');
    expect(api.n).toBeGreaterThan(50);
    await expect(page.getByRole('status').filter({ hasText: 'in this cohort' }).textContent()).resolves.toContain(
      `${api.n} procedures in this cohort`,
    );
    const m6 = api.statistics.windows.find((w) => w.visitId === 'm6')!.responders[0]!;
    const responders = await readTable(page, 'Responder rates per window');
    expect(responders.rows.find((r) => r[0] === '6 months' && r[1] === '50')).toEqual([
      '6 months',
      '50',
      String(m6.x),
      String(m6.n),
      pct(m6.rate!),
      pct(m6.lower!),
      pct(m6.upper!),
    ]);
    await chartsDrawn(page, 4);
    violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'cohort-researcher');
    await context.close();
  }, 120_000);

  it('tells a researcher that a cohort of fewer than five procedures is not shown', async () => {
    // A small cohort: one condition at one site, as the operator counts it.
    let small: string | null = null;
    for (const condition of ['occipital-neuralgia', 'post-mastectomy-pain', 'complex-regional-pain-syndrome']) {
      for (const siteId of SITES) {
        const report = await server.services.cohort.cohort(SEEDER, { condition, siteIds: [siteId] });
        if (report.n >= 1 && report.n <= 4) small = `?condition=${condition}&siteId=${siteId}`;
        if (small) break;
      }
      if (small) break;
    }
    expect(small).not.toBeNull();
    const { context, page } = await openAs(researcher, `/clinic/cohort${small!}`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'This cohort is not shown: fewer than 5 procedures match',
    );
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await context.close();
  }, 120_000);
});
