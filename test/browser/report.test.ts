import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { addDays, localDateAt, monthOf } from '../../src/domain/time.js';
import { DiaryImportService } from '../../src/services/bulk-import.js';
import { generateDiary } from '../../src/synthetic/diary-generator.js';
import { addPatient, addSite, addUser, SEEDER } from '../helpers/api.js';
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
 * The one-page doctor-visit report. The diary of patient p1 is written here day by day, so every
 * figure the report must show is counted below from that diary by hand, not taken from the app.
 */

const ZONE = 'Europe/Paris';
const TODAY = localDateAt(Date.now(), ZONE);
/** The procedure, 100 days ago: periods 1–3 after it have ended, period 4 is in progress. */
const PROCEDURE = addDays(TODAY, -100);
const BASELINE_START = addDays(PROCEDURE, -28);

/** Baseline (the 28 days before the procedure): a migraine attack every other day, 12 in all. */
const BASELINE_ATTACKS = Array.from({ length: 12 }, (_, i) => addDays(BASELINE_START, 2 * i));
/** Triptan taken in 8 of them. */
const BASELINE_TRIPTAN = new Set(BASELINE_ATTACKS.slice(0, 8));
/** After the procedure: 4 attacks in each 28-day period (days 3, 10, 17, 24), triptan on 2. */
const FOLLOW_UP_ATTACKS = [1, 2, 3].flatMap((period) =>
  [3, 10, 17, 24].map((day) => addDays(PROCEDURE, (period - 1) * 28 + day)),
);
const FOLLOW_UP_TRIPTAN = new Set(FOLLOW_UP_ATTACKS.filter((_, i) => i % 4 === 0 || i % 4 === 2));
/** One attack in period 4, still in progress. */
const CURRENT_ATTACKS = [addDays(PROCEDURE, 90)];
const ATTACK_DAYS = [...BASELINE_ATTACKS, ...FOLLOW_UP_ATTACKS, ...CURRENT_ATTACKS];
const TRIPTAN_DAYS = new Set([...BASELINE_TRIPTAN, ...FOLLOW_UP_TRIPTAN]);

// Counted by hand from the diary above; rates per 28 days with one decimal, changes with a true minus sign.
// Baseline: 28 of 28 days recorded, 12 migraine days, 8 acute medication days.
const BASELINE_MMD = '12.0';
// Period 3 (days 56–83 after the procedure), the last that has ended: 28 of 28 days, 4 migraine days, 2 with triptan.
const RECENT_MMD = '4.0';
const RECENT_MEDICATION = '2.0';
// (4 − 12) / 12 = −66.67 %.
const CHANGE = '\u221266.7 %';
const CHANGE_DAYS = '\u22128.0 migraine days per 28 days';
// MIDAS 10+8+6+4+2 = 30 (grade IV) in the baseline window, 4+3+2+2+1 = 12 (grade III) at follow-up: −18.
// HIT-6 13+13+11+11+10+13 = 71 at baseline, 10×4+8+6 = 54 at follow-up: −17.

/** The UTC offset of Paris at noon of a date (CET or CEST); attacks run 08:00–14:00, away from the DST switch. */
function offset(date: string): string {
  const noonUtc = Date.parse(`${date}T12:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' }).format(
    new Date(noonUtc),
  );
  return Number(parts) === 14 ? '+02:00' : '+01:00';
}

function migraineAttack(id: string, date: string, triptan: boolean): Record<string, unknown> {
  const at = (time: string) => `${date}T${time}:00${offset(date)}`;
  return {
    id,
    start: at('08:00'),
    end: at('14:00'),
    peakIntensity: 7,
    side: 'left',
    quality: ['pulsating'],
    aggravatedByActivity: true,
    nausea: true,
    photophobia: true,
    phonophobia: true,
    ...(triptan && {
      medications: [{ name: 'sumatriptan', class: 'triptan', doseMg: 50, takenAt: at('08:30'), effect: 'good' }],
    }),
  };
}

const PROCEDURE_BODY = {
  type: 'fat-transfer',
  date: PROCEDURE,
  surgeon: 'S01',
  siteId: 'lyon',
  donorSites: ['abdomen'],
  harvest: { technique: 'syringe-coleman' },
  processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
  recipientSites: [{ site: 'temporal', side: 'bilateral', volumeMl: 4 }],
  adjuncts: [],
  anaesthesia: 'local-with-sedation',
};

async function seedControlledDiary(server: ReliefServer): Promise<void> {
  const { diary, registry } = server.services;
  const attackDays = new Set(ATTACK_DAYS);
  for (const [i, date] of ATTACK_DAYS.entries()) {
    await diary.put(SEEDER, 'attack', 'p1', `a${i}`, migraineAttack(`a${i}`, date, TRIPTAN_DAYS.has(date)), undefined);
  }
  for (let date = BASELINE_START; date <= TODAY; date = addDays(date, 1)) {
    if (attackDays.has(date)) continue;
    await diary.put(SEEDER, 'daily-record', 'p1', `d${date}`, { date, noHeadache: true }, undefined);
  }
  const questionnaires: [string, Record<string, unknown>][] = [
    // Before the baseline window (28 days up to the procedure): not the baseline.
    [
      'q-midas-old',
      {
        instrument: 'MIDAS',
        date: addDays(PROCEDURE, -60),
        answers: {
          missedWorkOrSchool: 20,
          reducedWorkOrSchool: 10,
          missedHousework: 10,
          reducedHousework: 5,
          missedFamilySocialLeisure: 5,
        },
      },
    ],
    [
      'q-midas-0',
      {
        instrument: 'MIDAS',
        date: addDays(PROCEDURE, -5),
        answers: {
          missedWorkOrSchool: 10,
          reducedWorkOrSchool: 8,
          missedHousework: 6,
          reducedHousework: 4,
          missedFamilySocialLeisure: 2,
        },
      },
    ],
    [
      'q-midas-3',
      {
        instrument: 'MIDAS',
        date: addDays(PROCEDURE, 80),
        answers: {
          missedWorkOrSchool: 4,
          reducedWorkOrSchool: 3,
          missedHousework: 2,
          reducedHousework: 2,
          missedFamilySocialLeisure: 1,
        },
      },
    ],
    [
      'q-hit6-0',
      {
        instrument: 'HIT-6',
        date: addDays(PROCEDURE, -5),
        answers: ['always', 'always', 'very-often', 'very-often', 'sometimes', 'always'],
      },
    ],
    // An earlier follow-up HIT-6: the latest one counts.
    [
      'q-hit6-1',
      {
        instrument: 'HIT-6',
        date: addDays(PROCEDURE, 30),
        answers: ['always', 'very-often', 'sometimes', 'sometimes', 'sometimes', 'sometimes'],
      },
    ],
    [
      'q-hit6-3',
      {
        instrument: 'HIT-6',
        date: addDays(PROCEDURE, 80),
        answers: ['sometimes', 'sometimes', 'sometimes', 'sometimes', 'rarely', 'never'],
      },
    ],
  ];
  for (const [id, body] of questionnaires) await diary.put(SEEDER, 'questionnaire', 'p1', id, body, undefined);
  await registry.put(SEEDER, 'procedure', 'p1', 'proc-1', PROCEDURE_BODY, undefined);
}

/** Two years of synthetic diary with a procedure a year ago, written as `relief demo` writes them. */
async function seedLongDiary(server: ReliefServer): Promise<void> {
  const start = addDays(TODAY, -730);
  const generated = generateDiary({ seed: 77, startDate: start, days: 730, timeZone: ZONE, patientId: 'p3' });
  await new DiaryImportService(server.store, server.services.clock).importEntries(SEEDER, 'p3', [
    ...generated.attacks.map((a) => ({ kind: 'attack' as const, id: `p3-${a.id}`, body: { ...a, id: `p3-${a.id}` } })),
    ...generated.dailyRecords.map((r) => ({ kind: 'daily-record' as const, id: `p3-d${r.date}`, body: r })),
    ...generated.questionnaires.map((q, i) => ({ kind: 'questionnaire' as const, id: `p3-q${i}`, body: q })),
  ]);
  await server.services.registry.put(
    SEEDER,
    'procedure',
    'p3',
    'proc-3',
    { ...PROCEDURE_BODY, date: addDays(TODAY, -365) },
    undefined,
  );
}

/**
 * Patient p4, without a procedure: 60 days of diary ending yesterday. The first 28 days (the
 * baseline) have 6 migraine days, the next 28 (the last complete period) 3: MMD 6 → 3, −50 %.
 */
const P4_START = addDays(TODAY, -60);
const P4_ATTACKS = [0, 4, 8, 12, 16, 20, 28, 37, 46].map((d) => addDays(P4_START, d));

async function seedDiaryWithoutProcedure(server: ReliefServer): Promise<void> {
  for (const [i, date] of P4_ATTACKS.entries()) {
    await server.services.diary.put(
      SEEDER,
      'attack',
      'p4',
      `p4-a${i}`,
      migraineAttack(`p4-a${i}`, date, false),
      undefined,
    );
  }
  for (let date = P4_START; date < TODAY; date = addDays(date, 1)) {
    if (P4_ATTACKS.includes(date)) continue;
    await server.services.diary.put(SEEDER, 'daily-record', 'p4', `p4-d${date}`, { date, noHeadache: true }, undefined);
  }
}

/**
 * Patient p5 of site "nice", whose follow-up schedule opens the baseline visit 90 days before the
 * procedure (the default: 28). MIDAS 60 days before the procedure is the baseline by the site's
 * schedule, outside the default's window; MIDAS 80 days after it is the latest.
 */
const NICE_BASELINE_DAYS = 90;

async function seedSiteSchedule(server: ReliefServer): Promise<void> {
  const { diary, registry, siteSettings } = server.services;
  const followUp = DEFAULT_SITE_SETTINGS.followUp.map((v) =>
    v.months === 0 ? { ...v, windowBeforeDays: NICE_BASELINE_DAYS } : v,
  );
  await siteSettings.put(SEEDER, 'nice', { ...DEFAULT_SITE_SETTINGS, followUp }, undefined);
  for (let date = addDays(TODAY, -30); date < TODAY; date = addDays(date, 1)) {
    await diary.put(SEEDER, 'daily-record', 'p5', `p5-d${date}`, { date, noHeadache: true }, undefined);
  }
  const midas = (date: string, n: number) => ({
    instrument: 'MIDAS',
    date,
    answers: {
      missedWorkOrSchool: n,
      reducedWorkOrSchool: n,
      missedHousework: n,
      reducedHousework: n,
      missedFamilySocialLeisure: n,
    },
  });
  await diary.put(SEEDER, 'questionnaire', 'p5', 'p5-midas-0', midas(addDays(PROCEDURE, -60), 10), undefined);
  await diary.put(SEEDER, 'questionnaire', 'p5', 'p5-midas-3', midas(addDays(PROCEDURE, 80), 2), undefined);
  await registry.put(SEEDER, 'procedure', 'p5', 'proc-5', { ...PROCEDURE_BODY, siteId: 'nice' }, undefined);
}

/** Pages of a PDF: its `/Type /Page` objects (not the `/Type /Pages` tree). */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)\b/g) ?? []).length;
}

/**
 * Switches the page to print, checks that the sheet's last part (the definitions) ends inside the
 * sheet, which print cuts at one A4 page, and saves the PDF.
 */
async function savePdf(page: Page, name: string): Promise<Buffer> {
  await page.emulateMedia({ media: 'print' });
  const bottom = async (selector: string) => {
    const box = await page.locator(selector).boundingBox();
    return box === null ? Number.NaN : box.y + box.height;
  };
  const sheetBottom = await bottom('.report-sheet');
  expect(await bottom('.report-footnote')).toBeLessThanOrEqual(sheetBottom);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await writeFile(path.join(SCREENSHOT_DIR, `${name}.pdf`), pdf);
  return pdf;
}

async function openReport(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('baseline-mmd').waitFor();
  await page.locator('.report-calendar-months .month-calendar').first().waitFor();
}

const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();

describe('doctor-visit report (browser)', () => {
  let server: ReliefServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startRelief();
    browser = await launchBrowser();
    await addSite(server.services, 'lyon');
    await addPatient(server.services, 'p1', 'lyon', { birthYear: 1984, sex: 'female' });
    await addPatient(server.services, 'p2', 'lyon');
    await addPatient(server.services, 'p3', 'lyon', { birthYear: 1970, sex: 'male' });
    await addPatient(server.services, 'p4', 'lyon');
    await addUser(server.services, { username: 'anna', role: 'patient', patientId: 'p1' });
    await addUser(server.services, { username: 'dr-roux', role: 'clinician', siteIds: ['lyon'] });
    await addSite(server.services, 'nice');
    await addPatient(server.services, 'p5', 'nice');
    await addUser(server.services, { username: 'bruno', role: 'patient', patientId: 'p5' });
    await addUser(server.services, { username: 'dr-nice', role: 'clinician', siteIds: ['nice'] });
    await seedControlledDiary(server);
    await seedSiteSchedule(server);
    await seedLongDiary(server);
    await seedDiaryWithoutProcedure(server);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the clinician baseline and recent MMD, the change, medication days and MIDAS/HIT-6, on one A4 page', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'dr-roux', 'dr-roux-secret-pw');
    await openReport(page, `${server.baseUrl}/clinic/patients/p1/report`);

    expect(await text(page, 'report-patient')).toBe('Patient p1, born 1984, female');
    expect(await text(page, 'baseline-mmd')).toBe(BASELINE_MMD);
    expect(await text(page, 'recent-mmd')).toBe(RECENT_MMD);
    expect(await text(page, 'mmd-change')).toBe(CHANGE);
    expect(await text(page, 'mmd-change-note')).toBe(CHANGE_DAYS);
    expect(await text(page, 'recent-medication')).toBe(RECENT_MEDICATION);

    const cell = (row: string, col: string) =>
      page.locator(`.report-compare tr[data-row="${row}"] td[data-col="${col}"]`);
    expect(await cell('medication', 'baseline').innerText()).toBe('8.0');
    expect(await cell('medication', 'recent').innerText()).toBe('2.0');
    expect(await cell('medication', 'change').innerText()).toBe('\u22126.0');
    expect(await cell('recorded', 'baseline').innerText()).toBe('28 of 28 days recorded');
    expect(await cell('midas', 'baseline').innerText()).toMatch(/^30 \(grade IV, /);
    expect(await cell('midas', 'recent').innerText()).toMatch(/^12 \(grade III, /);
    expect(await cell('midas', 'change').innerText()).toBe('\u221218');
    expect(await cell('hit6', 'baseline').innerText()).toMatch(/^71 \(severe impact, /);
    expect(await cell('hit6', 'recent').innerText()).toMatch(/^54 \(some impact, /);
    expect(await cell('hit6', 'change').innerText()).toBe('\u221217');
    expect(await text(page, 'report-overuse')).toContain('No month shown reaches');

    // The months table: raw counts of the diary above, month by month.
    const months = await page.locator('.report-months tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        month: r.getAttribute('data-month'),
        migraine: r.querySelector('[data-col="migraine"]')?.textContent,
        medication: r.querySelector('[data-col="medication"]')?.textContent,
      })),
    );
    expect(months.length).toBeGreaterThanOrEqual(4);
    for (const row of months) {
      const inMonth = (d: string) => monthOf(d) === row.month && d <= TODAY;
      expect(row.migraine, row.month!).toBe(String(ATTACK_DAYS.filter(inMonth).length));
      expect(row.medication, row.month!).toBe(String([...TRIPTAN_DAYS].filter(inMonth).length));
    }
    // The calendar marks every attack day of its months as a migraine day, and the triptan days.
    const shownDays = await page
      .locator('.report-calendar td[data-date]')
      .evaluateAll((cells) =>
        cells.map((c) => ({ date: c.getAttribute('data-date')!, category: c.getAttribute('data-category') })),
      );
    expect(shownDays.length).toBeGreaterThan(56);
    for (const day of shownDays) {
      const expected =
        day.date > TODAY
          ? 'future'
          : ATTACK_DAYS.includes(day.date)
            ? 'severe'
            : day.date < BASELINE_START
              ? 'not-recorded'
              : 'none';
      expect(day.category, day.date).toBe(expected);
    }

    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'report');

    const pdf = await savePdf(page, 'report');
    expect(pdfPageCount(pdf)).toBe(1);
    await saveScreenshot(page, 'report-print');
    await context.close();
  });

  it('fits two years of diary on one A4 page', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'dr-roux', 'dr-roux-secret-pw');
    await openReport(page, `${server.baseUrl}/clinic/patients/p3/report`);
    expect(await page.locator('.report-months tbody tr').count()).toBe(6);
    expect(await page.locator('.report-calendar-months .month-calendar').count()).toBe(3);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    const pdf = await savePdf(page, 'report-long');
    expect(pdfPageCount(pdf)).toBe(1);
    await saveScreenshot(page, 'report-long-print');
    await context.close();
  });

  it('takes the first 28 days of the diary as baseline when no procedure is recorded, and says so', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'dr-roux', 'dr-roux-secret-pw');
    await openReport(page, `${server.baseUrl}/clinic/patients/p4/report`);
    expect(await text(page, 'report-procedure')).toBe('none recorded');
    expect(await text(page, 'baseline-mmd')).toBe('6.0');
    expect(await text(page, 'baseline-mmd-note')).toBe('first 28 days of the diary (no procedure recorded)');
    expect(await text(page, 'recent-mmd')).toBe('3.0');
    expect(await text(page, 'mmd-change')).toBe('\u221250.0 %');
    expect(await text(page, 'recent-medication')).toBe('0.0');
    // No questionnaire was answered: said in words, never as a number.
    const cell = (row: string, col: string) =>
      page.locator(`.report-compare tr[data-row="${row}"] td[data-col="${col}"]`);
    expect(await cell('midas', 'baseline').innerText()).toBe('not recorded');
    expect(await cell('hit6', 'recent').innerText()).toBe('not recorded');
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await context.close();
  });

  it('takes baseline MIDAS from the site’s schedule for the care team, from the default for the patient, and says which', async () => {
    const context = await desktopContext(browser);
    const clinician = await context.newPage();
    await signIn(clinician, server.baseUrl, 'dr-nice', 'dr-nice-secret-pw');
    await openReport(clinician, `${server.baseUrl}/clinic/patients/p5/report`);
    const cell = (page: Page, row: string, col: string) =>
      page.locator(`.report-compare tr[data-row="${row}"] td[data-col="${col}"]`).innerText();
    // The site's baseline visit opens 90 days before the procedure: MIDAS 50 (grade IV) 60 days before.
    expect(await cell(clinician, 'midas', 'baseline')).toMatch(/^50 \(grade IV, /);
    expect(await cell(clinician, 'midas', 'recent')).toMatch(/^10 \(grade II, /);
    expect(await cell(clinician, 'midas', 'change')).toBe('\u221240');
    expect(await text(clinician, 'score-baseline')).toBe(
      'Baseline MIDAS and HIT-6: the latest score in the 90 days up to the procedure (the site’s follow-up schedule).',
    );
    await context.close();

    // A patient cannot read site settings: the default window (28 days) has no MIDAS, and the
    // footnote says the clinic's table may differ.
    const own = await desktopContext(browser);
    const patient = await own.newPage();
    await signIn(patient, server.baseUrl, 'bruno', 'bruno-secret-pw');
    await openReport(patient, `${server.baseUrl}/report`);
    expect(await cell(patient, 'midas', 'baseline')).toBe('not recorded');
    expect(await text(patient, 'score-baseline')).toBe(
      'Baseline MIDAS and HIT-6: the latest score in the 28 days up to the procedure (Relief’s default follow-up ' +
        'schedule; the clinic’s outcome table uses the site’s own, which may differ).',
    );
    const violations = await seriousA11yViolations(patient);
    expect(violations, describeViolations(violations)).toEqual([]);
    await own.close();
  });

  it("shows a patient their own report, and never another patient's", async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'anna', 'anna-secret-pw');
    await openReport(page, `${server.baseUrl}/report`);
    expect(await text(page, 'report-patient')).toBe('Patient p1, born 1984, female');
    expect(await text(page, 'baseline-mmd')).toBe(BASELINE_MMD);
    expect(await text(page, 'recent-mmd')).toBe(RECENT_MMD);
    expect(await text(page, 'mmd-change')).toBe(CHANGE);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'report-patient');

    // The care team's route to another patient's report is closed to a patient…
    await page.goto(`${server.baseUrl}/clinic/patients/p2/report`);
    await page.getByRole('heading', { name: 'You may not open this page.' }).waitFor();
    expect(await page.getByTestId('report-patient').count()).toBe(0);
    // …and the API answers another patient's data as not found.
    const statuses = await page.evaluate(async () =>
      Promise.all(
        ['/api/v1/patients/p2', '/api/v1/patients/p2/analysis', '/api/v1/patients/p2/procedures'].map(
          async (url) => (await fetch(url)).status,
        ),
      ),
    );
    expect(statuses).toEqual([404, 404, 404]);
    await context.close();
  });
});
