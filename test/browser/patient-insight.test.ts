import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiaryAnalysis } from '../../src/domain/analysis.js';
import { storedQuestionnaireScore } from '../../src/domain/questionnaires.js';
import { addDays, daysBetween } from '../../src/domain/time.js';
import { DiaryImportService } from '../../src/services/bulk-import.js';
import { addPatient, addSite, addUser, ManualClock, SEEDER } from '../helpers/api.js';
import { MIGRAINE_FEATURES } from '../helpers/diary.js';
import {
  describeViolations,
  launchBrowser,
  phoneContext,
  type ReliefServer,
  saveScreenshot,
  seriousA11yViolations,
  startRelief,
} from './harness.js';

/**
 * My diary and the questionnaires, on a diary written here day by day: a single day recorded in
 * May (too little diary for the month), five months of daily check-ins in which stress is followed
 * by an attack the next day (a trigger), triptans on every attack day of October (medication
 * overuse risk), and a hand-made November for the calendar.
 */

const ZONE = 'Europe/Paris';
const NOW = '2026-11-20T10:00:00+01:00';
const START = '2026-06-01';
const GENERATED_DAYS = daysBetween(START, '2026-10-31') + 1;
const PROCEDURE = '2026-10-20';

interface Day {
  date: string;
  stress: boolean;
  caffeine: boolean;
  attack: boolean;
}

/** June to October: stress every third day, an attack the day after (but every fifth time), and some others. */
const GENERATED: Day[] = Array.from({ length: GENERATED_DAYS }, (_, i) => ({
  date: addDays(START, i),
  stress: i % 3 === 0,
  caffeine: i % 4 === 1,
  attack: (i > 0 && (i - 1) % 3 === 0 && (i - 1) % 15 !== 0) || i % 7 === 2,
}));
/** Alcohol is tracked from the first day to the last but drunk on 3 days only: too few to judge. */
const ALCOHOL_DAYS = new Set([0, 40, 80, 120, GENERATED_DAYS - 1].map((i) => addDays(START, i)));
const ALCOHOL_TRUE = new Set([40, 80, 120].map((i) => addDays(START, i)));
const OCTOBER_ATTACKS = GENERATED.filter((d) => d.attack && d.date.startsWith('2026-10')).length;

function entries() {
  const out: { kind: 'attack' | 'daily-record'; id: string; body: Record<string, unknown> }[] = [];
  const attack = (id: string, start: string, end: string, peak: number, medication?: Record<string, unknown>) =>
    out.push({
      kind: 'attack',
      id,
      body: {
        ...MIGRAINE_FEATURES,
        id,
        start,
        end,
        peakIntensity: peak,
        ...(medication && { medications: [medication] }),
      },
    });
  GENERATED.forEach((d, i) => {
    const factors: Record<string, boolean> = { stress: d.stress, caffeine: d.caffeine };
    if (ALCOHOL_DAYS.has(d.date)) factors.alcohol = ALCOHOL_TRUE.has(d.date);
    out.push({
      kind: 'daily-record',
      id: `d-${d.date}`,
      body: { date: d.date, factors, ...(!d.attack && { noHeadache: true }) },
    });
    if (d.attack) {
      // Summer time ends on 25 October 2026.
      const offset = d.date >= '2026-10-25' ? '+01:00' : '+02:00';
      const takenAt = `${d.date}T10:00:00${offset}`;
      const medication = d.date.startsWith('2026-10')
        ? { name: 'sumatriptan', class: 'triptan', takenAt }
        : { name: 'ibuprofen', class: 'non-opioid-analgesic', takenAt };
      attack(`a-${d.date}`, `${d.date}T09:00:00${offset}`, `${d.date}T15:00:00${offset}`, 4 + (i % 6), medication);
    }
  });
  // May: one headache-free day, 1 of 31 recorded.
  out.push({ kind: 'daily-record', id: 'd-2026-05-28', body: { date: '2026-05-28', noHeadache: true } });
  // November, by hand.
  const free = (date: string) =>
    out.push({ kind: 'daily-record', id: `d-${date}`, body: { date, noHeadache: true, factors: { stress: false } } });
  free('2026-11-01');
  free('2026-11-02');
  attack('nov-3', '2026-11-03T22:00:00+01:00', '2026-11-04T02:00:00+01:00', 6, {
    name: 'sumatriptan',
    class: 'triptan',
    takenAt: '2026-11-03T22:30:00+01:00',
  });
  // 5 November: nothing recorded.
  attack('nov-6', '2026-11-06T08:00:00+01:00', '2026-11-06T20:00:00+01:00', 9, {
    name: 'ibuprofen',
    class: 'non-opioid-analgesic',
    takenAt: '2026-11-06T09:00:00+01:00',
  });
  out.push({
    kind: 'daily-record',
    id: 'd-2026-11-07',
    body: { date: '2026-11-07', headache: { intensityLevel: 'mild' }, factors: { stress: false } },
  });
  free('2026-11-08');
  free('2026-11-09');
  // 10 November: nothing recorded.
  for (let day = 11; day <= 19; day++) free(`2026-11-${day}`);
  return out;
}

const PROCEDURE_BODY = {
  type: 'fat-transfer',
  date: PROCEDURE,
  surgeon: 'S01',
  siteId: 'lyon',
  donorSites: ['abdomen'],
  harvest: { technique: 'syringe-coleman' },
  processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
  recipientSites: [{ site: 'occipital', side: 'bilateral', volumeMl: 4 }],
  adjuncts: [],
  anaesthesia: 'local',
};

describe('My diary and questionnaires (browser)', () => {
  const clock = new ManualClock(NOW);
  let server: ReliefServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let analysis: DiaryAnalysis;

  beforeAll(async () => {
    server = await startRelief({ clock: clock.now });
    browser = await launchBrowser();
    await addSite(server.services, 'lyon');
    await addPatient(server.services, 'p1', 'lyon', { timeZone: ZONE, birthYear: 1985, referenceDate: PROCEDURE });
    await addUser(server.services, { username: 'lea', role: 'patient', patientId: 'p1' });
    await new DiaryImportService(server.store, server.services.clock).importEntries(SEEDER, 'p1', entries());
    await server.services.registry.put(SEEDER, 'procedure', 'p1', 'proc-1', PROCEDURE_BODY, undefined);
    analysis = await server.services.diary.analysis(SEEDER, 'p1', {});

    context = await phoneContext(browser);
    // The server lives on 20 November 2026; the session cookie it sets expires 12 hours after that,
    // which may already be past for the browser's own clock, so the session is kept for the run.
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lea', password: 'lea-secret-pw' }),
    });
    expect(login.status).toBe(200);
    const token = /relief_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    await context.addCookies([
      { name: 'relief_session', value: token, url: server.baseUrl, httpOnly: true, sameSite: 'Strict' },
    ]);
    page = await context.newPage();
    await page.clock.setFixedTime(new Date(NOW));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const openMyDiary = async () => {
    await page.goto(`${server.baseUrl}/my-diary`);
    await page.getByRole('heading', { name: 'My diary', level: 1 }).waitFor();
    await page.locator('td[data-date="2026-11-03"][data-category="moderate"]').waitFor();
    await page.locator('.trend-chart svg').first().waitFor();
  };

  it('colours the month calendar by intensity and marks medication days', async () => {
    await openMyDiary();
    const cell = (date: string) => page.locator(`td[data-date="${date}"]`);
    const expected: [string, string, string, boolean][] = [
      ['2026-11-02', 'none', '2 November: headache-free (confirmed)', false],
      ['2026-11-03', 'moderate', '3 November: moderate headache, migraine day, acute medication taken', true],
      // The attack over midnight covers the 4th too, without its medication.
      ['2026-11-04', 'moderate', '4 November: moderate headache, migraine day', false],
      ['2026-11-05', 'not-recorded', '5 November: nothing recorded', false],
      ['2026-11-06', 'severe', '6 November: severe headache, migraine day, acute medication taken', true],
      ['2026-11-07', 'mild', '7 November: mild headache', false],
      ['2026-11-10', 'not-recorded', '10 November: nothing recorded', false],
      ['2026-11-20', 'not-recorded', '20 November: nothing recorded', false],
      ['2026-11-21', 'future', '21 November: not yet', false],
    ];
    for (const [date, category, label, medication] of expected) {
      await expect(cell(date).getAttribute('data-category'), date).resolves.toBe(category);
      await expect(cell(date).getAttribute('class'), date).resolves.toContain(`cal-${category}`);
      expect(await cell(date).locator('.cal-pill').count(), date).toBe(medication ? 1 : 0);
      await page.getByRole('button', { name: label, exact: true }).waitFor();
    }
    // Not recorded and headache-free look different (dashed outline against a filled cell).
    const style = (date: string) =>
      cell(date).evaluate((el) => {
        const css = el.ownerDocument.defaultView!.getComputedStyle(el);
        return [css.borderTopStyle, css.backgroundColor];
      });
    const [notRecorded, free] = [await style('2026-11-05'), await style('2026-11-02')];
    expect(notRecorded[0]).toBe('dashed');
    expect(free[0]).not.toBe('dashed');
    expect(free[1]).not.toBe(notRecorded[1]);

    // A day opens its entries; an earlier month is one tap away.
    await page.getByRole('button', { name: /^3 November:/ }).click();
    await page.getByRole('link', { name: 'Attack 1: see or add details' }).waitFor();
    expect(await page.getByRole('link', { name: 'Attack 1: see or add details' }).getAttribute('href')).toBe(
      '/attacks/nov-3',
    );
    await page.getByRole('button', { name: 'Previous month (October 2026)' }).click();
    await page.locator('td[data-date^="2026-10-"].cal-medication').first().waitFor();
    await page.locator('.insight-calendar[aria-busy="false"]').waitFor();
    const octoberMedication = await page.locator('td[data-date^="2026-10-"].cal-medication').count();
    expect(octoberMedication).toBe(OCTOBER_ATTACKS);
    await page.getByRole('button', { name: 'Next month (November 2026)' }).click();
    await page.locator('td[data-date="2026-11-03"]').waitFor();
  });

  it('warns of medication overuse in plain words, with the month and the days', async () => {
    expect(OCTOBER_ATTACKS).toBeGreaterThanOrEqual(10);
    const triptan = analysis.medicationOveruse.find((o) => o.code === '8.2.2');
    expect(triptan?.months).toEqual([
      { month: '2026-10', days: OCTOBER_ATTACKS, headacheDays: OCTOBER_ATTACKS, level: 'risk' },
    ]);
    const warning = page.locator('.insight-overuse p[data-code="8.2.2"]');
    await expect(warning.textContent()).resolves.toBe(
      `In October 2026 you took triptans on ${OCTOBER_ATTACKS} days. Taking them on 10 or more days a month for ` +
        'more than 3 months can make headaches more frequent (medication-overuse headache). Talk to your doctor ' +
        'about it. Do not stop a medicine on your own.',
    );
    expect(await page.locator('.insight-overuse p').count()).toBe(1);
  });

  it('shows the trends with the procedure date and the baseline, and their table', async () => {
    const figure = page.locator('.trend-chart');
    await expect(figure.locator('svg text', { hasText: 'Procedure 20 Oct 2026' }).count()).resolves.toBe(1);
    const baseline = analysis.outcomes!.baseline.mmd!;
    expect(baseline).toBeGreaterThan(0);
    await expect(figure.locator('figcaption').textContent()).resolves.toContain(
      `Migraine days before the procedure (per 28 days): ${baseline.toFixed(1)}`,
    );
    await figure.locator('summary', { hasText: 'Table of the chart' }).click();
    // Months per 28 recorded days, the unit of the baseline level: October's 31 days recorded.
    const october = analysis.months.find((m) => m.month === '2026-10')!;
    expect(october.migraineDays).toBe(OCTOBER_ATTACKS);
    expect(october.recordedDays).toBe(31);
    const per28 = (n: number) => ((n * 28) / 31).toFixed(1);
    const row = figure.locator('tr[data-key="2026-10"] td');
    await expect(row.allTextContents()).resolves.toEqual([
      '31 of 31',
      per28(october.migraineDays),
      per28(october.headacheDays),
      per28(october.acuteMedicationDays),
    ]);
    // May has 1 of 31 days recorded, headache-free: too little diary for any rate. It reads so,
    // never 0, and has no point in the chart, only a shaded band saying so (tooltips name the month).
    const may = analysis.months.find((m) => m.month === '2026-05')!;
    expect([may.recordedDays, may.migraineDays, may.per28]).toEqual([1, 0, null]);
    await expect(figure.locator('tr[data-key="2026-05"] td').allTextContents()).resolves.toEqual([
      '1 of 31',
      'not enough diary',
      'not enough diary',
      'not enough diary',
    ]);
    const tooltips = await figure.locator('svg title').allTextContents();
    expect(tooltips.filter((x) => x.startsWith('Oct 2026, Migraine days: '))).toEqual([
      `Oct 2026, Migraine days: ${per28(october.migraineDays)}`,
    ]);
    expect(tooltips.filter((x) => x.startsWith('May 2026'))).toEqual(['May 2026: not enough diary']);
    const rated = analysis.months.filter((m) => m.per28 !== null).length;
    expect(tooltips.filter((x) => x.includes(', Migraine days: '))).toHaveLength(rated);

    // Per 28 days: period 0 is the baseline, the 28 days before the procedure.
    await figure.getByLabel('28-day periods').check();
    const period0 = analysis.periods28.find((p) => p.index === 0)!;
    expect(period0.start).toBe('2026-09-22');
    const round = (x: number) => x.toFixed(1);
    await expect(figure.locator('tr[data-key="0"] td').allTextContents()).resolves.toEqual([
      '28 of 28',
      round(period0.per28!.migraineDays),
      round(period0.per28!.headacheDays),
      round(period0.per28!.acuteMedicationDays),
    ]);
    await figure.getByLabel('Months', { exact: true }).check();
    await figure.locator('tr[data-key="2026-10"]').waitFor();
  });

  it('explains each trigger verdict as the analysis found it', async () => {
    const primary = analysis.triggers.filter((r) => r.lag === 1);
    expect(primary.find((r) => r.factor === 'stress')?.verdict).toBe('trigger');
    const alcohol = primary.find((r) => r.factor === 'alcohol')!;
    expect(alcohol.verdict).toBe('insufficient-data');
    const shown = await page
      .locator('.insight-triggers li[data-factor]')
      .evaluateAll((items) =>
        items.map((li): [string, string] => [li.getAttribute('data-factor')!, li.getAttribute('data-verdict')!]),
      );
    expect(new Map(shown)).toEqual(new Map(primary.map((r) => [r.factor, r.verdict])));

    const stress = primary.find((r) => r.factor === 'stress')!;
    const fmt = (x: number) => x.toFixed(x < 1 ? 2 : 1);
    await expect(page.locator('li[data-factor="stress"]').textContent()).resolves.toContain(
      `After a day with stress, the odds of an attack starting were about ${fmt(stress.oddsRatio!)} times as high ` +
        `(95% interval ${fmt(stress.ciLower!)} to ${fmt(stress.ciUpper!)}).`,
    );
    // Alcohol: enough days and attack starts, too few days with alcohol; at the diary's pace so far.
    const recorded = analysis.triggerAnalysis.recordedDays;
    expect(recorded).toBeGreaterThanOrEqual(90);
    expect(alcohol.onsets).toBeGreaterThanOrEqual(10);
    expect(alcohol.exposedDays).toBe(3);
    const more = Math.ceil((5 - 3) / (3 / recorded));
    await expect(page.locator('li[data-factor="alcohol"]').textContent()).resolves.toContain(
      `About ${more} more days of diary needed at your pace so far.So far: 3 of the 5 days with alcohol needed.`,
    );
    await expect(page.locator('.trigger-caveat').textContent()).resolves.toContain('not proof');
  });

  it('lists the questionnaires due, passes axe and looks right on a phone', async () => {
    const due = await page.locator('.due-list li').evaluateAll((items) => items.map((li) => li.dataset.instrument));
    expect(due).toEqual(['HIT-6', 'PGIC']);
    await expect(page.locator('.due-list li[data-instrument="HIT-6"]').textContent()).resolves.toContain(
      'HIT-6 for your 1 month visit. Please fill it in by 4 Dec 2026.',
    );
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'insight-my-diary');
  });

  it('fills in HIT-6 once, shows and stores its score, and it is no longer due', async () => {
    await page.getByRole('link', { name: 'Fill in HIT-6' }).click();
    await page.getByRole('heading', { name: 'HIT-6: headache impact' }).waitFor();
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    // Saving with questions left open names them and stores nothing.
    await page.getByRole('button', { name: 'Save answers' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Please answer 6 questions');
    const answers = ['Always', 'Always', 'Very often', 'Sometimes', 'Rarely', 'Never'];
    const questions = page.locator('fieldset.question');
    for (let i = 0; i < 6; i++) await questions.nth(i).getByLabel(answers[i]!, { exact: true }).check();
    await saveScreenshot(page, 'insight-questionnaire');
    const withAnswers = await seriousA11yViolations(page);
    expect(withAnswers, describeViolations(withAnswers)).toEqual([]);
    // Two submits in the same moment (a double tap before the page can react) store one response.
    await page.locator('.questionnaire-page form').evaluate((form) => {
      const submit = () => (form as unknown as { requestSubmit(): void }).requestSubmit();
      submit();
      submit();
    });
    // 13 + 13 + 11 + 10 + 8 + 6
    await expect(page.getByRole('status').filter({ hasText: 'HIT-6' }).textContent()).resolves.toBe(
      'Your HIT-6 score is 61 of 78: severe impact on your life.',
    );
    const stored = await server.services.diary.list(SEEDER, 'questionnaire', 'p1', {});
    expect(stored).toHaveLength(1);
    expect(stored[0]!.data).toEqual({
      instrument: 'HIT-6',
      date: '2026-11-20',
      answers: ['always', 'always', 'very-often', 'sometimes', 'rarely', 'never'],
    });
    expect(storedQuestionnaireScore(stored[0]!.data)).toEqual({ instrument: 'HIT-6', score: 61 });

    await page.getByRole('link', { name: 'Back to My diary' }).click();
    await page.locator('.due-list li').first().waitFor();
    const due = await page.locator('.due-list li').evaluateAll((items) => items.map((li) => li.dataset.instrument));
    expect(due).toEqual(['PGIC']);
  });

  it('checks MIDAS answers before saving, and offers PGIC and nothing else', async () => {
    await page.goto(`${server.baseUrl}/questionnaires/midas`);
    await page.getByRole('heading', { name: 'MIDAS: headache disability' }).waitFor();
    const item = (n: number) => page.getByLabel(new RegExp(`^${n}\\. On how many days`));
    await item(1).fill('91');
    for (const n of [2, 3, 4]) await item(n).fill('0');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Please answer 2 questions');
    await expect(page.locator('.field-invalid .field-error').allTextContents()).resolves.toEqual([
      'Enter a whole number of days from 0 to 90.',
      'Please answer this question.',
    ]);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(await server.services.diary.list(SEEDER, 'questionnaire', 'p1', {})).toHaveLength(1);
    await item(1).fill('3');
    await item(2).fill('2');
    await item(3).fill('1');
    await item(5).fill('0');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'MIDAS' }).textContent()).resolves.toBe(
      'Your MIDAS score is 6: grade II (mild disability).',
    );
    const midas = (await server.services.diary.list(SEEDER, 'questionnaire', 'p1', {})).filter(
      (e) => e.data.instrument === 'MIDAS',
    );
    expect(midas.map((e) => storedQuestionnaireScore(e.data))).toEqual([{ instrument: 'MIDAS', score: 6 }]);

    await page.goto(`${server.baseUrl}/questionnaires/pgic`);
    await page.getByRole('radio', { name: 'Very much improved' }).waitFor();
    expect(await page.getByRole('radio').count()).toBe(7);
    const pgic = await seriousA11yViolations(page);
    expect(pgic, describeViolations(pgic)).toEqual([]);
    await page.goto(`${server.baseUrl}/questionnaires/sf-36`);
    await page.getByText('There is no questionnaire called “sf-36”.').waitFor();
  });
});
