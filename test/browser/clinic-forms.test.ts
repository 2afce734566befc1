import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatInZone, localDateAt } from '../../src/domain/time.js';
import { addPatient, addSite, addUser, SEEDER } from '../helpers/api.js';
import { MIGRAINE_FEATURES } from '../helpers/diary.js';
import {
  describeViolations,
  desktopContext,
  launchBrowser,
  type ReliefServer,
  saveScreenshot,
  seriousA11yViolations,
  signIn,
  startRelief,
} from './harness.js';

/**
 * The clinician's registry forms against a real server: a fat-transfer procedure recorded through
 * the form and its outcome table, the API's own validation messages, one record per double
 * submit, and a treatment, a complication and a HIT-6 recorded through their forms.
 *
 * The server's clock is real, so the diary is dated from today: the procedure was 100 days ago,
 * and the 28-day periods 0 (baseline), 1, 2 and 3 around it have ended and are fully recorded.
 */

const TZ = 'Europe/Paris';
const TODAY = localDateAt(Date.now(), TZ);
const PROCEDURE_DATE = addDays(TODAY, -100);

/** Migraine days of each 28-day period, as day offsets into the period (the rest are headache-free). */
const MIGRAINE_DAYS: Record<number, number[]> = {
  0: [1, 4, 7, 10, 13, 16, 19, 22], // baseline: 8 migraine days in 28 recorded days
  1: [2, 9, 16, 23], // 4: MMD 4, −4.0, −50 %
  2: [5, 15, 25], // 3
  3: [6, 20], // 2: MMD 2, −6.0, −75 %
};

async function seedDiary(server: ReliefServer): Promise<void> {
  for (const [periodText, migraine] of Object.entries(MIGRAINE_DAYS)) {
    const period = Number(periodText);
    // Period k covers days (k−1)·28 … k·28−1 from the procedure date; period 0 the 28 days before.
    const first = addDays(PROCEDURE_DATE, (period - 1) * 28);
    for (let d = 0; d < 28; d++) {
      const date = addDays(first, d);
      if (migraine.includes(d)) {
        const start = Date.parse(`${date}T08:00:00Z`);
        const id = `attack-${date}`;
        const attack = {
          id,
          start: formatInZone(start, TZ),
          end: formatInZone(start + 6 * 3600_000, TZ),
          ...MIGRAINE_FEATURES,
        };
        await server.services.diary.put(SEEDER, 'attack', 'p1', id, attack, undefined);
      } else {
        await server.services.diary.put(
          SEEDER,
          'daily-record',
          'p1',
          `day-${date}`,
          { date, noHeadache: true },
          undefined,
        );
      }
    }
  }
}

/** A PUT from the signed-in page, as the app sends it: the API's answer to a body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function apiPut(page: Page, path: string, body: unknown): Promise<{ status: number; json: any }> {
  return page.evaluate(
    async ({ path, body }) => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      const res = await fetch(`/api/v1${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    { path, body },
  );
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

const cell = (page: Page, visit: string, col: string) =>
  page.locator(`[data-testid="outcome-table"] tr[data-visit="${visit}"] [data-col="${col}"]`);

describe('clinician forms (browser)', { timeout: 60_000 }, () => {
  let server: ReliefServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let procedureId: string;

  beforeAll(async () => {
    server = await startRelief();
    browser = await launchBrowser();
    await addSite(server.services, 'lyon');
    await addPatient(server.services, 'p1', 'lyon', { timeZone: TZ });
    await addUser(server.services, { username: 'dr-roux', role: 'clinician', siteIds: ['lyon'] });
    await seedDiary(server);
    context = await desktopContext(browser);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, server.baseUrl, 'dr-roux', 'dr-roux-secret-pw');
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('records a procedure through the form, with the API’s messages, once, and shows its outcome table', async () => {
    await page.goto(`${server.baseUrl}/clinic/patients/p1/procedures/new`);
    await page.getByRole('heading', { name: 'Record a fat-transfer procedure' }).waitFor();
    await expectNoSeriousViolations(page);

    await page.getByLabel('Date of the procedure').fill(PROCEDURE_DATE);
    await page.getByLabel('Surgeon code').fill('S-07');
    await page.getByLabel('Anaesthesia').selectOption({ label: 'General' });
    await page.getByLabel('Duration (minutes)').fill('95');
    await page.getByRole('checkbox', { name: 'Abdomen' }).check();
    await page.getByLabel('Harvest technique').selectOption({ label: 'Syringe (Coleman)' });
    await page.getByLabel('Cannula gauge').fill('14');
    await page.getByLabel('Processing method').selectOption({ label: 'Centrifugation' });
    await page.getByLabel('Centrifugal force').fill('1200');
    await page.getByLabel('Centrifugation time').fill('3');
    const row1 = page.getByRole('group', { name: 'Recipient site 1' });
    await row1.getByLabel('Site', { exact: true }).selectOption({ label: 'Occipital' });
    await row1.getByLabel('Side').selectOption({ label: 'Bilateral' });
    await row1.getByLabel('Volume (mL)').fill('10');
    await row1.getByLabel('Detail').fill('greater occipital');
    await page.getByRole('button', { name: 'Add a recipient site' }).click();
    const row2 = page.getByRole('group', { name: 'Recipient site 2' });
    await row2.getByLabel('Site', { exact: true }).selectOption({ label: 'Temporal' });
    await row2.getByLabel('Side').selectOption({ label: 'Left' });
    await row2.getByLabel('Volume (mL)').fill('-5');
    await expect(page.getByText('Total volume: 10 mL').textContent()).resolves.toBe('Total volume: 10 mL');

    // A negative volume: the message beside the field is the one the API gives for that body.
    await page.getByRole('button', { name: 'Save' }).click();
    const volumeError = row2.locator('.field-error');
    await volumeError.waitFor();
    const badBody = {
      type: 'fat-transfer',
      date: PROCEDURE_DATE,
      surgeon: 'S-07',
      siteId: 'lyon',
      donorSites: ['abdomen'],
      harvest: { technique: 'syringe-coleman', cannulaGauge: 14 },
      processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
      recipientSites: [
        { site: 'occipital', side: 'bilateral', volumeMl: 10, detail: 'greater occipital' },
        { site: 'temporal', side: 'left', volumeMl: -5 },
      ],
      adjuncts: [],
      anaesthesia: 'general',
      durationMinutes: 95,
    };
    const refused = await apiPut(page, '/patients/p1/procedures/probe-bad-volume', badBody);
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues).toHaveLength(1);
    expect(refused.json.error.issues[0].path).toBe('body.recipientSites.1.volumeMl');
    await expect(volumeError.textContent()).resolves.toBe(refused.json.error.issues[0].message);
    const summary = page.locator('.form-errors li');
    await expect(summary.allTextContents()).resolves.toEqual([
      `Recipient site 2: Volume (mL): ${refused.json.error.issues[0].message}`,
    ]);
    await expect(page.locator('.form-errors').evaluate((e) => e === e.ownerDocument.activeElement)).resolves.toBe(true);
    await expectNoSeriousViolations(page);
    await saveScreenshot(page, 'clinic-procedure-form');
    expect(await server.services.registry.list(SEEDER, 'procedure', 'p1')).toEqual([]);

    await row2.getByLabel('Volume (mL)').fill('5.5');
    await expect(page.getByText('Total volume: 15.5 mL').count()).resolves.toBe(1);

    // A double click on Save writes one record.
    await page.getByRole('button', { name: 'Save' }).dblclick();
    await page.getByRole('heading', { name: /^Fat-transfer procedure of / }).waitFor();
    await page.getByRole('heading', { name: /^Fat-transfer procedure of / }).waitFor();
    await page.locator('[data-testid="outcome-table"]').waitFor();
    const stored = await server.services.registry.list(SEEDER, 'procedure', 'p1');
    expect(stored).toHaveLength(1);
    procedureId = stored[0]!.id;
    expect(new URL(page.url()).pathname).toBe(`/clinic/patients/p1/procedures/${procedureId}`);
    expect(stored[0]!.data).toEqual({
      ...badBody,
      recipientSites: [badBody.recipientSites[0], { ...badBody.recipientSites[1], volumeMl: 5.5 }],
    });
    await expect(page.locator('.record-saved').textContent()).resolves.toBe('Saved.');

    // Baseline: 8 migraine days in 28 recorded days. 1 month (period 1): 4 → −4.0, −50 %, a 50 %
    // responder only. 3 months (period 3): 2 → −6.0, −75 %. 6 months: its period starts on day 140.
    await expect(cell(page, 'baseline', 'mmd').textContent()).resolves.toBe('8.0');
    await expect(cell(page, 'baseline', 'diary').textContent()).resolves.toContain('28 of 28 days · sufficient');
    await expect(cell(page, 'm1', 'mmd').textContent()).resolves.toBe('4.0');
    await expect(cell(page, 'm1', 'change').textContent()).resolves.toBe('−4.0');
    await expect(cell(page, 'm1', 'percent').textContent()).resolves.toBe('−50.0 %');
    await expect(cell(page, 'm1', 'responder-50').textContent()).resolves.toBe('Yes');
    await expect(cell(page, 'm1', 'responder-75').textContent()).resolves.toBe('No');
    await expect(cell(page, 'm1', 'responder-100').textContent()).resolves.toBe('No');
    await expect(cell(page, 'm3', 'mmd').textContent()).resolves.toBe('2.0');
    await expect(cell(page, 'm3', 'change').textContent()).resolves.toBe('−6.0');
    await expect(cell(page, 'm3', 'percent').textContent()).resolves.toBe('−75.0 %');
    await expect(cell(page, 'm3', 'responder-50').textContent()).resolves.toBe('Yes');
    await expect(cell(page, 'm3', 'responder-75').textContent()).resolves.toBe('Yes');
    await expect(cell(page, 'm3', 'responder-100').textContent()).resolves.toBe('No');
    // MHI: 8 attacks × intensity 8 × 0.25 day = 16.0 at baseline; 4 × 8 × 0.25 = 8.0 (−50 %) at 1 month.
    await expect(cell(page, 'baseline', 'mhi').textContent()).resolves.toBe('16.0');
    await expect(cell(page, 'm1', 'mhi').textContent()).resolves.toBe('8.0 (−50.0 %)');
    await expect(cell(page, 'm6', 'status').textContent()).resolves.toMatch(/^Not reached yet/);
    await expect(cell(page, 'm6', 'mmd').count()).resolves.toBe(0);
    // Responding from period 1 (day 0); periods 2 and 3 still respond: censored at the end of period 3.
    await expect(page.getByTestId('outcome-durability').textContent()).resolves.toBe(
      'Durability: Responded from day 0; no relapse, followed until day 84 (censored).',
    );
    await expect(page.getByTestId('recipient-sites').locator('tfoot td.num').textContent()).resolves.toBe('15.5');
    await expectNoSeriousViolations(page);
    await saveScreenshot(page, 'clinic-procedure-outcome');
  });

  it('records a treatment with only the fields of its type', async () => {
    await page.goto(`${server.baseUrl}/clinic/patients/p1/treatments/new`);
    await page.getByRole('heading', { name: 'Record a treatment' }).waitFor();
    await page.getByLabel('Type of treatment').selectOption({ label: 'Botulinum toxin' });
    // Fields of other types are not offered.
    await expect(page.getByLabel('Drug').count()).resolves.toBe(0);
    await expect(page.getByLabel('Device').count()).resolves.toBe(0);
    await page.getByLabel('Start').fill(addDays(PROCEDURE_DATE, -200));
    await page.getByLabel('Stop').fill(addDays(PROCEDURE_DATE, -110));
    await page.getByLabel('Dose (units)').fill('155');
    await page.getByRole('checkbox', { name: 'Frontal' }).check();
    await page.getByRole('checkbox', { name: 'Occipital' }).check();
    await page.getByLabel('Relief (%)').fill('60');
    await expectNoSeriousViolations(page);
    await saveScreenshot(page, 'clinic-treatment-form');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /^Botulinum toxin from / }).waitFor();
    const stored = await server.services.registry.list(SEEDER, 'treatment', 'p1');
    expect(stored.map((r) => r.data)).toEqual([
      {
        type: 'botulinum-toxin',
        start: addDays(PROCEDURE_DATE, -200),
        stop: addDays(PROCEDURE_DATE, -110),
        doseUnits: 155,
        sites: ['frontal', 'occipital'],
        percentRelief: 60,
      },
    ]);
    await expectNoSeriousViolations(page);
  });

  it('records a complication linked to the procedure, refusing an end before its start as the API does', async () => {
    await page.goto(`${server.baseUrl}/clinic/patients/p1/procedures/${procedureId}`);
    await page.getByRole('link', { name: 'Record a complication' }).click();
    await page.getByRole('heading', { name: 'Record a complication' }).waitFor();
    const onset = addDays(PROCEDURE_DATE, 2);
    await page.getByLabel('Complication', { exact: true }).fill('Donor-site haematoma');
    await page.getByLabel('Onset').fill(onset);
    await page.getByLabel('Resolved on').fill(addDays(PROCEDURE_DATE, 1));
    await page.getByRole('radio', { name: /^Grade II Requires drugs/ }).check();
    await page.getByLabel('Relation to the procedure').selectOption({ label: 'Related' });
    await page.getByLabel('Action taken').fill('Compression');
    await expect(page.getByLabel('Procedure it followed').inputValue()).resolves.toBe(procedureId);
    await expectNoSeriousViolations(page);
    await saveScreenshot(page, 'clinic-adverse-event-form');

    await page.getByRole('button', { name: 'Save' }).click();
    const resolvedError = page
      .locator('.field-invalid')
      .filter({ has: page.getByLabel('Resolved on') })
      .locator('.field-error');
    await resolvedError.waitFor();
    const badBody = {
      term: 'Donor-site haematoma',
      procedureId,
      onset,
      resolved: addDays(PROCEDURE_DATE, 1),
      grade: 'II',
      relation: 'related',
      action: 'Compression',
    };
    const refused = await apiPut(page, '/patients/p1/adverse-events/probe-bad-dates', badBody);
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues).toEqual([{ path: 'body.resolved', message: 'must not be before onset' }]);
    await expect(resolvedError.textContent()).resolves.toBe('must not be before onset');
    expect(await server.services.registry.list(SEEDER, 'adverse-event', 'p1')).toEqual([]);

    await page.getByLabel('Resolved on').fill(addDays(PROCEDURE_DATE, 12));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /^Donor-site haematoma, from / }).waitFor();
    const stored = await server.services.registry.list(SEEDER, 'adverse-event', 'p1');
    expect(stored.map((r) => r.data)).toEqual([{ ...badBody, resolved: addDays(PROCEDURE_DATE, 12) }]);
    await expectNoSeriousViolations(page);

    // The procedure cannot be deleted while the complication points to it; the page says which.
    await page.goto(`${server.baseUrl}/clinic/patients/p1/procedures/${procedureId}`);
    await page.getByRole('listitem').filter({ hasText: 'Donor-site haematoma' }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    const refusal = page.locator('.record-delete-error');
    await refusal.getByRole('link', { name: /Donor-site haematoma/ }).waitFor();
    await expect(refusal.textContent()).resolves.toContain('cannot be deleted while complications are linked');
    expect(await server.services.registry.list(SEEDER, 'procedure', 'p1')).toHaveLength(1);
  });

  it('edits a procedure under its version, and explains a conflict with a colleague’s change', async () => {
    await page.goto(`${server.baseUrl}/clinic/patients/p1/procedures/${procedureId}`);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: /^Edit the procedure of / }).waitFor();
    await expect(
      page.getByRole('group', { name: 'Recipient site 2' }).getByLabel('Volume (mL)').inputValue(),
    ).resolves.toBe('5.5');
    await page.getByLabel('Surgeon code').fill('S-08');

    // A colleague saves a change meanwhile.
    const [before] = await server.services.registry.list(SEEDER, 'procedure', 'p1');
    const theirs = { ...before!.data, notes: 'Photographs in the chart' };
    await server.services.registry.put(SEEDER, 'procedure', 'p1', procedureId, theirs, before!.version);

    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone changed this record' });
    await conflict.waitFor();
    await expectNoSeriousViolations(page);
    const [unchanged] = await server.services.registry.list(SEEDER, 'procedure', 'p1');
    expect(unchanged!.data).toEqual(theirs);

    await conflict.getByRole('button', { name: 'Reload their version' }).click();
    // Their version arrives from the server: wait for it to fill the form.
    await expect.poll(() => page.getByLabel('Notes').inputValue()).toBe('Photographs in the chart');
    await expect(page.getByLabel('Surgeon code').inputValue()).resolves.toBe('S-07');
    await page.getByLabel('Surgeon code').fill('S-08');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.record-saved').waitFor();
    const [after] = await server.services.registry.list(SEEDER, 'procedure', 'p1');
    expect(after!.data).toEqual({ ...theirs, surgeon: 'S-08' });
    expect(after!.version).toBe(before!.version + 2);
  });

  it('records a HIT-6 questionnaire, which the outcome table then shows', async () => {
    await page.goto(`${server.baseUrl}/clinic/patients/p1/questionnaires/new`);
    await page.getByRole('heading', { name: 'Record a questionnaire' }).waitFor();
    await page.getByRole('radio', { name: /^HIT-6/ }).check();
    const answers = ['always', 'very-often', 'sometimes', 'sometimes', 'rarely', 'never'] as const;
    const labels = {
      always: 'Always',
      'very-often': 'Very often',
      sometimes: 'Sometimes',
      rarely: 'Rarely',
      never: 'Never',
    };
    for (const [i, a] of answers.entries()) {
      await page
        .getByRole('group', { name: `HIT-6 question ${i + 1}` })
        .getByRole('radio', { name: labels[a] })
        .check();
    }
    // 13 + 11 + 10 + 10 + 8 + 6 = 58: substantial impact (Kosinski 2003 bands).
    await expect(page.getByText('HIT-6 total 58: substantial impact').count()).resolves.toBe(1);
    await expectNoSeriousViolations(page);
    await saveScreenshot(page, 'clinic-questionnaire-form');
    await page.getByRole('button', { name: 'Save' }).dblclick();
    await page.getByText(/^HIT-6 of .* saved\.$/).waitFor();
    await expect(page.getByRole('button', { name: 'Record another questionnaire' }).count()).resolves.toBe(1);
    const stored = await server.services.diary.list(SEEDER, 'questionnaire', 'p1', {});
    expect(stored.map((q) => q.data)).toEqual([{ instrument: 'HIT-6', date: TODAY, answers: [...answers] }]);
    await expectNoSeriousViolations(page);

    // Today is in the 3-month visit's window (due at 3 months, open 14 days before to 28 after).
    await page.goto(`${server.baseUrl}/clinic/patients/p1/procedures/${procedureId}`);
    await page.locator('[data-testid="outcome-table"]').waitFor();
    await expect(cell(page, 'm3', 'hit6').textContent()).resolves.toBe('58');
  });
});
