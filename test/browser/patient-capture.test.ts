import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attack, DailyRecord } from '../../src/domain/diary.js';
import { addDays, formatInZone, localDateAt } from '../../src/domain/time.js';
import { addPatient, addSite, addUser, SEEDER } from '../helpers/api.js';
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
 * The patient's capture screens on a phone: an attack in three taps from opening the app,
 * finished later with its details; two attacks on one day; an attack over midnight; the daily
 * check-in with the patient's chosen factors; the settings that choose them. Every page is
 * checked with axe in the dim theme, and photographed.
 */

/** A zone where it is now between 03:00 and 20:59, so "today" does not change during the test. */
function daytimeZone(): string {
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Sydney'];
  return zones.find((z) => {
    const hour = Number(formatInZone(Date.now(), z).slice(11, 13));
    return hour >= 3 && hour <= 20;
  })!;
}

/** A time of day as the app shows it (`formatTime` of web/src/i18n/strings.ts). */
const clock = (utc: string, timeZone: string) =>
  new Date(utc).toLocaleString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });

/** The UTC offset written in an instant, "+01:00". */
const offsetOf = (instant: string) => instant.slice(-6);

async function noSeriousViolations(page: Page): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

describe('the patient’s capture screens (browser)', () => {
  let server: ReliefServer;
  let browser: Browser;
  const zone = daytimeZone();

  const attacksOf = async (patientId: string, range: { from?: string; to?: string } = {}) =>
    (await server.services.diary.list(SEEDER, 'attack', patientId, range)).map((e) => ({
      ...e,
      data: e.data as Attack,
    }));
  const recordsOf = async (patientId: string) =>
    (await server.services.diary.list(SEEDER, 'daily-record', patientId, {})).map((e) => ({
      ...e,
      data: e.data as DailyRecord,
    }));

  beforeAll(async () => {
    server = await startRelief();
    browser = await launchBrowser();
    const s = server.services;
    await addSite(s, 'lyon');
    await addPatient(s, 'p1', 'lyon', { timeZone: zone });
    await addPatient(s, 'p2', 'lyon', { timeZone: 'Europe/Paris' });
    await addPatient(s, 'p3', 'lyon', { timeZone: zone, conditions: ['migraine', 'occipital-neuralgia'] });
    await addUser(s, { username: 'anna', role: 'patient', patientId: 'p1' });
    await addUser(s, { username: 'ben', role: 'patient', patientId: 'p2' });
    await addUser(s, { username: 'cara', role: 'patient', patientId: 'p3' });
    await addPatient(s, 'p4', 'lyon', { timeZone: zone });
    await addUser(s, { username: 'dora', role: 'patient', patientId: 'p4' });
    for (const [patientId, username] of [
      ['p5', 'eve'],
      ['p6', 'finn'],
      ['p7', 'gus'],
    ] as const) {
      await addPatient(s, patientId, 'lyon', { timeZone: zone });
      await addUser(s, { username, role: 'patient', patientId });
    }
    // Anna's usual medicine, offered with one tap on the details page.
    await s.preferences.put(
      SEEDER,
      'p1',
      {
        factors: [],
        foods: [],
        intensityScale: 'levels',
        askPreventive: true,
        askNeuropathicPain: false,
        usualMedications: [{ name: 'sumatriptan', class: 'triptan', doseMg: 50 }],
      },
      undefined,
    );
    await s.preferences.put(
      SEEDER,
      'p6',
      {
        factors: [],
        foods: [],
        intensityScale: 'levels',
        askPreventive: true,
        askNeuropathicPain: false,
        usualMedications: [{ name: 'sumatriptan', class: 'triptan', doseMg: 50 }],
      },
      undefined,
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a patient logs an attack in 3 taps and finishes it later', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'anna', 'anna-secret-pw', '/today');

    // Opening the app.
    await page.goto(`${server.baseUrl}/today`);
    const headacheNow = page.getByRole('button', { name: 'Headache now' });
    await headacheNow.waitFor();
    await noSeriousViolations(page);
    let taps = 0;
    const tap = async (target: Locator) => {
      taps++;
      await target.click();
    };
    const before = Date.now();
    await tap(headacheNow);
    const severe = page.getByRole('button', { name: /^Severe/ });
    await severe.waitFor();
    await noSeriousViolations(page);
    await saveScreenshot(page, 'capture-today-intensity');
    await tap(severe);
    const confirmation = page.getByRole('status').filter({ hasText: 'Attack started at' });
    await confirmation.waitFor();
    expect(taps).toBeLessThanOrEqual(3);

    const [attack, ...others] = await attacksOf('p1');
    expect(others).toEqual([]);
    expect(attack!.data.intensityLevel).toBe('severe');
    expect(attack!.data.id).toBe(attack!.id);
    expect(attack!.data.end).toBeUndefined();
    const start = attack!.data.start;
    expect(Date.parse(start)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(start)).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - Date.parse(start)).toBeLessThan(60_000);
    expect(offsetOf(start)).toBe(offsetOf(formatInZone(Date.parse(start), zone)));
    expect(await confirmation.textContent()).toContain('Severe');
    // An undo is offered beside the confirmation.
    await page.getByRole('button', { name: 'Undo' }).waitFor();
    await noSeriousViolations(page);

    // The attack shows as ongoing on a freshly opened Today.
    await page.goto(`${server.baseUrl}/today`);
    const ongoing = page.getByRole('region', { name: 'Ongoing' });
    await ongoing.getByText(/Since .* · Severe/).waitFor();
    await saveScreenshot(page, 'capture-today');
    await noSeriousViolations(page);

    // Later: the details.
    await ongoing.getByRole('link', { name: 'Add details' }).click();
    await page.getByRole('heading', { name: 'Attack details' }).waitFor();
    await noSeriousViolations(page);
    // Taken while the attack goes on: now.
    await page.getByRole('button', { name: 'Took sumatriptan 50 mg' }).click();
    await page.getByRole('group', { name: 'Did it help?' }).getByRole('radio', { name: 'Well' }).check();
    await page.getByRole('button', { name: 'It stopped now' }).click();
    const endShown = await page.getByRole('group', { name: 'Ended' }).getByLabel('Time').inputValue();
    // Sites on the head map: by touch, and one by keyboard (Space on a focused region).
    await page.getByRole('checkbox', { name: 'Left temple (temporal)' }).click();
    await page.getByRole('checkbox', { name: 'Left back of the head (occipital)' }).click();
    await page.getByRole('checkbox', { name: 'Left forehead (frontal)' }).focus();
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Left forehead (frontal)' }).getAttribute('aria-checked')).toBe(
      'true',
    );
    await page.getByText('Chosen: frontal, temporal, occipital · left side').waitFor();
    await page.getByRole('checkbox', { name: 'Throbbing' }).check();
    await page.getByRole('group', { name: 'Nausea' }).getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('group', { name: 'Light hurts' }).getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('group', { name: 'Vomiting' }).getByRole('radio', { name: 'No' }).check();
    await page.getByRole('checkbox', { name: /^Seeing things/ }).check();
    await page.getByLabel('How many minutes did it last?').fill('20');
    await page
      .getByRole('group', { name: 'Did it spread slowly over 5 minutes or more?' })
      .getByRole('radio', { name: 'Yes' })
      .check();
    await page.getByRole('group', { name: 'Was it on one side only?' }).getByRole('radio', { name: 'Yes' }).check();
    // Logged once the attack is over: at its start, until the patient changes it.
    await page.getByRole('button', { name: 'Another medication' }).click();
    await page.getByLabel('Name').fill('ibuprofen');
    await page.getByLabel('Dose (mg)').fill('400');
    await page.getByRole('button', { name: 'Add it' }).click();
    await page.getByRole('checkbox', { name: 'Stress' }).check();
    await page.getByRole('textbox', { name: 'Notes' }).fill('After a long meeting');
    await noSeriousViolations(page);
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await saveScreenshot(page, 'capture-attack-details');

    const [done, ...none] = await attacksOf('p1');
    expect(none).toEqual([]);
    expect(done!.version).toBe(2);
    const body = done!.data;
    expect(body.id).toBe(attack!.id);
    expect(body.start).toBe(start);
    expect(body.intensityLevel).toBe('severe');
    expect(body.end).toBeDefined();
    expect(offsetOf(body.end!)).toBe(offsetOf(formatInZone(Date.parse(body.end!), zone)));
    expect(body.end!.slice(11, 16)).toBe(endShown);
    expect(Date.parse(body.end!)).toBeGreaterThanOrEqual(Date.parse(start) - 60_000);
    expect(Date.now() - Date.parse(body.end!)).toBeLessThan(120_000);
    expect(body.sites).toEqual(['frontal', 'temporal', 'occipital']);
    expect(body.side).toBe('left');
    expect(body.quality).toEqual(['pulsating']);
    expect(body.nausea).toBe(true);
    expect(body.photophobia).toBe(true);
    expect(body.vomiting).toBe(false);
    expect(body.phonophobia).toBeUndefined();
    expect(body.aura).toEqual([{ type: 'visual', durationMinutes: 20, spreadGradually: true, unilateral: true }]);
    expect(body.medications).toHaveLength(2);
    expect(body.medications![0]).toMatchObject({ name: 'sumatriptan', class: 'triptan', doseMg: 50, effect: 'good' });
    expect(body.medications![1]).toMatchObject({ name: 'ibuprofen', class: 'non-opioid-analgesic', doseMg: 400 });
    expect(body.medications![1]!.effect).toBeUndefined();
    const [sumatriptan, ibuprofen] = body.medications!;
    expect(offsetOf(sumatriptan!.takenAt!)).toBe(offsetOf(formatInZone(Date.parse(sumatriptan!.takenAt!), zone)));
    expect(Date.parse(sumatriptan!.takenAt!)).toBeGreaterThanOrEqual(Date.parse(start));
    expect(Date.now() - Date.parse(sumatriptan!.takenAt!)).toBeLessThan(120_000);
    expect(ibuprofen!.takenAt).toBe(start);
    expect(body.triggers).toEqual(['stress']);
    expect(body.notes).toBe('After a long meeting');

    // Back on Today it is one of today's entries, no longer ongoing.
    await page.getByRole('link', { name: 'Back to Today' }).click();
    const entries = page.getByRole('region', { name: 'Today’s entries' });
    await entries.getByRole('link', { name: /Attack .* · Severe/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Ongoing' }).count()).toBe(0);
    await context.close();
  });

  it('two attacks on one day: each its own entry, ended with one tap', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'anna', 'anna-secret-pw', '/today');
    await page.getByRole('button', { name: 'Headache now' }).click();
    await page.getByRole('button', { name: /^Mild/ }).click();
    await page.getByRole('status').filter({ hasText: 'Attack started at' }).waitFor();
    const ongoing = page.getByRole('region', { name: 'Ongoing' });
    await ongoing
      .getByRole('listitem')
      .filter({ hasText: 'Mild' })
      .getByRole('button', { name: 'It stopped now' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Attack ended at' }).waitFor();
    expect(await ongoing.getByRole('listitem').count()).toBe(0);

    const today = localDateAt(Date.now(), zone);
    const attacks = await attacksOf('p1', { from: today, to: today });
    expect(attacks).toHaveLength(2);
    expect(new Set(attacks.map((a) => a.id)).size).toBe(2);
    const second = attacks.find((a) => a.data.intensityLevel === 'mild')!;
    expect(second.data.end).toBeDefined();
    expect(Date.parse(second.data.end!)).toBeGreaterThanOrEqual(Date.parse(second.data.start));
    const entries = page.getByRole('region', { name: 'Today’s entries' });
    await entries.getByRole('link', { name: /· Mild/ }).waitFor();
    await entries.getByRole('link', { name: /· Severe/ }).waitFor();
    await context.close();
  });

  it('a double tap on an intensity saves one attack; Undo ignores a tap right after it appears, then removes', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.clock.install();
    await signIn(page, server.baseUrl, 'dora', 'dora-secret-pw', '/today');
    const headacheNow = page.getByRole('button', { name: 'Headache now' });
    await headacheNow.waitFor();
    // The page's clock stands still from here on and moves only when the test says so: the
    // double-tap guard (700 ms) is tested without racing real time.
    await page.clock.pauseAt(new Date(Date.now() + 1000));
    const allSent = () =>
      expect.poll(() => page.locator('.outbox [role="status"]').textContent()).toMatch(/^All entries sent/);

    await headacheNow.click();
    await page.getByRole('button', { name: /^Moderate/ }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Attack started at' }).waitFor();
    await allSent();
    const [attack, ...others] = await attacksOf('p4');
    expect(others).toEqual([]);
    expect(attack!.data.intensityLevel).toBe('moderate');

    // A tap on Undo as it appears (the second tap of a double tap; no time has passed) is ignored…
    const undo = page.getByRole('button', { name: 'Undo' });
    await undo.click();
    expect(await undo.isEnabled()).toBe(true);
    // …as the next attack shows: its save is sent after anything the tap would have sent.
    await page.clock.runFor(800);
    await headacheNow.click();
    await page.getByRole('button', { name: /^Mild/ }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Attack started at .*: Mild/ })
      .waitFor();
    await allSent();
    const both = await attacksOf('p4');
    expect(both.map((a) => a.data.intensityLevel).sort()).toEqual(['mild', 'moderate']);
    const mild = both.find((a) => a.data.intensityLevel === 'mild')!;

    // A deliberate tap, 800 ms later, removes the attack.
    await page.clock.runFor(800);
    await undo.click();
    await page.getByRole('status').filter({ hasText: 'Removed. Nothing was kept.' }).waitFor();
    await expect.poll(async () => (await attacksOf('p4')).map((a) => a.id)).toEqual([attack!.id]);
    // The removed one stays in the database as deleted (the audit trail), not as a live entry.
    const removed = await server.store.transaction((tx) => tx.getEntry('attack', mild.id));
    expect(removed?.deletedAt).not.toBeNull();
    await context.close();
  });

  it('an attack from 23:30 ended after midnight spans both local days on the server', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    // Ben lives in Paris (UTC+01:00 in November): 23:30 on 10 November, then 00:40 on the 11th.
    await page.clock.setFixedTime(new Date('2025-11-10T22:30:00Z'));
    await signIn(page, server.baseUrl, 'ben', 'ben-secret-pw', '/today');
    await page.getByRole('button', { name: 'Headache now' }).click();
    await page.getByRole('button', { name: /^Moderate/ }).click();
    const at2330 = clock('2025-11-10T22:30:00Z', 'Europe/Paris');
    const at0040 = clock('2025-11-10T23:40:00Z', 'Europe/Paris');
    await page
      .getByRole('status')
      .filter({ hasText: `Attack started at ${at2330}` })
      .waitFor();

    await page.clock.setFixedTime(new Date('2025-11-10T23:40:00Z'));
    await page.goto(`${server.baseUrl}/today`);
    const ongoing = page.getByRole('region', { name: 'Ongoing' });
    await ongoing.getByText(`Since yesterday ${at2330} · Moderate`).waitFor();
    await ongoing.getByRole('button', { name: 'It stopped now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Attack ended at ${at0040}` })
      .waitFor();
    await page
      .getByRole('region', { name: 'Today’s entries' })
      .getByRole('link', { name: `Attack ${at2330} (yesterday)–${at0040} · Moderate` })
      .waitFor();

    const list = async (from: string, to: string) => {
      const res = await page.request.get(`${server.baseUrl}/api/v1/patients/p2/attacks?from=${from}&to=${to}`);
      expect(res.status()).toBe(200);
      return ((await res.json()) as { items: { id: string; data: Attack }[] }).items;
    };
    const [attack] = await list('2025-11-10', '2025-11-10');
    expect(attack!.data).toMatchObject({
      start: '2025-11-10T23:30:00+01:00',
      end: '2025-11-11T00:40:00+01:00',
      intensityLevel: 'moderate',
    });
    expect((await list('2025-11-11', '2025-11-11')).map((a) => a.id)).toEqual([attack!.id]);
    expect(await list('2025-11-12', '2025-11-12')).toEqual([]);
    expect(await list('2025-11-09', '2025-11-09')).toEqual([]);
    await context.close();
  });

  it('an end typed earlier in the day than the start is on the next day, and says so', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    // Ben (Paris) logs the next morning an attack of the evening before.
    await page.clock.setFixedTime(new Date('2025-11-29T09:00:00Z'));
    await signIn(page, server.baseUrl, 'ben', 'ben-secret-pw', '/today');
    await page.getByRole('link', { name: 'Log an earlier attack' }).click();
    await page.getByRole('heading', { name: 'Log an attack' }).waitFor();
    const started = page.getByRole('group', { name: 'Started' });
    await started.getByLabel('Date').fill('2025-11-28');
    await started.getByLabel('Time').fill('23:10');
    await page.getByRole('button', { name: 'It stopped earlier…' }).click();
    const ended = page.getByRole('group', { name: 'Ended' });
    expect(await ended.getByLabel('Date').inputValue()).toBe('2025-11-28');
    await ended.getByLabel('Time').fill('00:40');
    await ended.getByText('Ends the next day, 29 Nov.').waitFor();
    expect(await ended.getByLabel('Date').inputValue()).toBe('2025-11-29');
    // A time after the start is the same day again.
    await ended.getByLabel('Time').fill('23:50');
    await expect.poll(() => ended.getByLabel('Date').inputValue()).toBe('2025-11-28');
    expect(await ended.getByText(/Ends the next day/).count()).toBe(0);
    await ended.getByLabel('Time').fill('00:40');
    await ended.getByText('Ends the next day, 29 Nov.').waitFor();
    await noSeriousViolations(page);
    await saveScreenshot(page, 'capture-attack-over-midnight');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const attacks = await attacksOf('p2', { from: '2025-11-28', to: '2025-11-28' });
    expect(attacks.map((a) => [a.data.start, a.data.end])).toEqual([
      ['2025-11-28T23:10:00+01:00', '2025-11-29T00:40:00+01:00'],
    ]);
    await context.close();
  });

  it('settings choose the factors; the check-in asks exactly those, in one go and quickly', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'cara', 'cara-secret-pw', '/settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const factors = page.getByRole('group', { name: 'Factors to track in the daily check-in' });
    for (const name of ['Stress', 'Sleep hours', 'Foods', 'Caffeine', 'Weather change']) {
      await factors.getByRole('checkbox', { name, exact: true }).check();
    }
    await page.getByLabel('Food', { exact: true }).fill('chocolate');
    await page.getByRole('button', { name: 'Add food' }).click();
    // Cara has a neuropathic condition: nerve pain is asked by default.
    const questions = page.getByRole('group', { name: 'Questions in the check-in' });
    expect(await questions.getByRole('checkbox', { name: 'Ask for my nerve pain (0–10)' }).isChecked()).toBe(true);
    await page.getByLabel('Name').fill('rizatriptan');
    await page.getByLabel('Dose (mg)').fill('10');
    await page.getByRole('button', { name: 'Add medicine' }).click();
    await noSeriousViolations(page);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await saveScreenshot(page, 'capture-settings');
    await noSeriousViolations(page);
    const prefs = await server.services.preferences.get(SEEDER, 'p3');
    expect(prefs).toMatchObject({
      version: 1,
      data: {
        factors: ['stress', 'sleep', 'foods', 'caffeine', 'weather'],
        foods: ['chocolate'],
        intensityScale: 'levels',
        askPreventive: true,
        askNeuropathicPain: true,
        usualMedications: [{ name: 'rizatriptan', class: 'triptan', doseMg: 10 }],
      },
    });

    // The check-in, timed from opening the app: taps and fields counted.
    let taps = 0;
    let fields = 0;
    const tap = async (target: Locator) => {
      taps++;
      await target.click();
    };
    const started = Date.now();
    await page.goto(`${server.baseUrl}/today`);
    await tap(page.getByRole('link', { name: 'Do the check-in' }));
    await tap(page.getByRole('checkbox', { name: 'No headache today' }));
    await tap(page.getByRole('group', { name: 'Stress' }).getByRole('radio', { name: 'A little' }));
    fields++;
    await page.getByLabel('Sleep last night (hours)').fill('6.5');
    // Written on today's record: the trigger analysis reads it with today's onset (lag 0).
    await page
      .getByText(
        'The night that ended this morning. My diary compares it with headaches that start today and tomorrow.',
      )
      .waitFor();
    const had = page.getByRole('group', { name: 'Today I had… (tap what applies)' });
    await tap(had.getByRole('checkbox', { name: 'Caffeine' }));
    await tap(had.getByRole('checkbox', { name: 'Weather change' }));
    await tap(
      page.getByRole('group', { name: 'Did you take your preventive medicine?' }).getByRole('radio', { name: 'Yes' }),
    );
    await tap(page.getByRole('group', { name: /^Nerve pain today/ }).getByRole('radio', { name: '3', exact: true }));
    // Only the chosen factors are asked.
    expect(await page.getByRole('group', { name: 'Period' }).count()).toBe(0);
    expect(await had.getByRole('checkbox').count()).toBe(3);
    await tap(page.getByRole('button', { name: 'Save check-in' }));
    await page.getByRole('status').filter({ hasText: 'Check-in saved.' }).waitFor();
    const seconds = (Date.now() - started) / 1000;
    console.log(`check-in: ${taps} taps and ${fields} typed field from opening the app, ${seconds.toFixed(1)} s`);
    expect(taps).toBe(8);
    expect(seconds).toBeLessThan(30);
    await saveScreenshot(page, 'capture-check-in');
    await noSeriousViolations(page);

    const today = localDateAt(Date.now(), zone);
    const [record, ...more] = await recordsOf('p3');
    expect(more).toEqual([]);
    expect(record!.data).toEqual({
      date: today,
      noHeadache: true,
      factors: { stress: 1, 'sleep hours': 6.5, caffeine: true, 'weather change': true, chocolate: false },
      preventiveTaken: true,
      pain: 3,
    });

    // Editing the day's check-in replaces the one record (with the version it was based on).
    await page.goto(`${server.baseUrl}/check-in`);
    await page.getByRole('group', { name: 'Stress' }).getByRole('radio', { name: 'A lot', exact: true }).check();
    await page
      .getByRole('group', { name: 'Today I had… (tap what applies)' })
      .getByRole('checkbox', { name: 'chocolate' })
      .check();
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByRole('status').filter({ hasText: 'Check-in saved.' }).waitFor();
    const [edited, ...again] = await recordsOf('p3');
    expect(again).toEqual([]);
    expect(edited!.id).toBe(record!.id);
    expect(edited!.version).toBe(2);
    expect(edited!.data.factors).toEqual({
      stress: 3,
      'sleep hours': 6.5,
      caffeine: true,
      'weather change': true,
      chocolate: true,
    });

    // The check-in of an earlier day asks for the night before that day, and writes it on that day.
    const yesterday = addDays(today, -1);
    await page.goto(`${server.baseUrl}/check-in?date=${yesterday}`);
    const sleepThen = page.getByLabel(/^Sleep the night before .* \(hours\)$/);
    await sleepThen.fill('5');
    await page
      .getByText(
        /^The night that ended on the morning of .*\. My diary compares it with headaches that start that day and the next\.$/,
      )
      .waitFor();
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByRole('status').filter({ hasText: 'Check-in saved.' }).waitFor();
    const earlier = (await recordsOf('p3')).find((r) => r.data.date === yesterday);
    expect(earlier!.data.factors?.['sleep hours']).toBe(5);
    await context.close();
  });

  it('a day covered by an attack cannot be confirmed headache-free', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'anna', 'anna-secret-pw', '/check-in');
    await page.getByText('You logged 2 attacks on this day.').waitFor();
    expect(await page.getByRole('checkbox', { name: /No headache/ }).count()).toBe(0);
    // Anna chose no factors: the check-in says where to choose them.
    await page.getByRole('link', { name: 'Choose them in Settings' }).waitFor();
    await noSeriousViolations(page);
    await page
      .getByRole('group', { name: 'Did you take your preventive medicine?' })
      .getByRole('radio', { name: 'No' })
      .check();
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByRole('status').filter({ hasText: 'Check-in saved.' }).waitFor();
    const [record] = await recordsOf('p1');
    expect(record!.data).toEqual({ date: localDateAt(Date.now(), zone), preventiveTaken: false });
    await context.close();
  });

  it('medicines of an attack logged a day later count on the attack’s day, at a time the patient can change', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'finn', 'finn-secret-pw', '/today');
    const yesterday = addDays(localDateAt(Date.now(), zone), -1);
    await page.getByRole('link', { name: 'Log an earlier attack' }).click();
    await page.getByRole('heading', { name: 'Log an attack' }).waitFor();
    const started = page.getByRole('group', { name: 'Started' });
    await started.getByLabel('Date').fill(yesterday);
    await started.getByLabel('Time').fill('14:00');
    await page.getByRole('button', { name: 'It stopped earlier…' }).click();
    await page.getByRole('group', { name: 'Ended' }).getByLabel('Time').fill('18:00');
    await page.getByRole('button', { name: 'Took sumatriptan 50 mg' }).click();
    await page.getByRole('button', { name: 'Another medication' }).click();
    await page.getByLabel('Name').fill('ibuprofen');
    await page.getByRole('button', { name: 'Add it' }).click();
    const takenAt = page.getByRole('group', { name: 'Taken at' });
    expect(await takenAt.count()).toBe(2);
    // Both at the attack's start, shown to be changed.
    for (const i of [0, 1]) {
      expect(await takenAt.nth(i).getByLabel('Date').inputValue()).toBe(yesterday);
      expect(await takenAt.nth(i).getByLabel('Time').inputValue()).toBe('14:00');
    }
    await takenAt.nth(1).getByLabel('Time').fill('15:30');
    await noSeriousViolations(page);
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const [attack, ...others] = await attacksOf('p6');
    expect(others).toEqual([]);
    const start = attack!.data.start;
    expect(start.slice(0, 19)).toBe(`${yesterday}T14:00:00`);
    expect(attack!.data.end!.slice(0, 19)).toBe(`${yesterday}T18:00:00`);
    const [sumatriptan, ibuprofen] = attack!.data.medications!;
    expect(sumatriptan).toMatchObject({ name: 'sumatriptan', class: 'triptan', takenAt: start });
    expect(ibuprofen!.takenAt!.slice(0, 19)).toBe(`${yesterday}T15:30:00`);
    expect(offsetOf(ibuprofen!.takenAt!)).toBe(offsetOf(formatInZone(Date.parse(ibuprofen!.takenAt!), zone)));
    await context.close();
  });

  it('a check-in changed offline on a day already sent from this phone updates that day’s record', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'gus', 'gus-secret-pw', '/check-in');
    const preventive = page.getByRole('group', { name: 'Did you take your preventive medicine?' });
    await preventive.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('checkbox', { name: 'No headache today' }).check();
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByRole('status').filter({ hasText: 'Check-in saved.' }).waitFor();
    const today = localDateAt(Date.now(), zone);
    const [sent, ...none] = await recordsOf('p7');
    expect(none).toEqual([]);
    expect([sent!.version, sent!.data]).toEqual([1, { date: today, noHeadache: true, preventiveTaken: true }]);

    await page.getByRole('link', { name: 'Back to Today' }).click();
    await page.getByText('Today’s check-in is done: headache-free.').waitFor();
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Change the check-in' }).click();
    // Offline, the check-in shows the day's record as it was sent…
    await page.getByRole('heading', { name: 'Daily check-in' }).waitFor();
    await expect.poll(() => page.getByRole('checkbox', { name: 'No headache today' }).isChecked()).toBe(true);
    expect(await preventive.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    // …and an edit is kept on the phone as a change of that record.
    await preventive.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Check-in saved on this phone; it is sent when you are online.' })
      .waitFor();
    expect((await recordsOf('p7')).map((r) => r.version)).toEqual([1]);

    await context.setOffline(false);
    await expect
      .poll(async () => (await recordsOf('p7')).map((r) => [r.id, r.version, r.data]), { timeout: 15_000 })
      .toEqual([[sent!.id, 2, { date: today, noHeadache: true, preventiveTaken: false }]]);
    await page.getByRole('link', { name: 'Back to Today' }).click();
    await expect.poll(() => page.locator('.outbox [role="status"]').textContent()).toMatch(/^All entries sent/);
    await context.close();
  });

  it('an attack logged on a day confirmed headache-free takes the confirmation back; Undo puts it back', async () => {
    const today = localDateAt(Date.now(), zone);
    const yesterday = addDays(today, -1);
    const put = (id: string, body: DailyRecord) =>
      server.services.diary.put(SEEDER, 'daily-record', 'p5', id, body, undefined);
    await put('rec-yesterday', { date: yesterday, noHeadache: true, preventiveTaken: true });
    await put('rec-today', { date: today, noHeadache: true });
    const record = async (id: string) => {
      const r = (await recordsOf('p5')).find((x) => x.id === id)!;
      return { version: r.version, data: r.data };
    };

    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.clock.install();
    await signIn(page, server.baseUrl, 'eve', 'eve-secret-pw', '/today');
    const status = page.locator('.check-in-status p');
    await expect.poll(() => status.textContent()).toBe('Today’s check-in is done: headache-free.');

    await page.getByRole('button', { name: 'Headache now' }).click();
    await page.getByRole('button', { name: /^Moderate/ }).click();
    await page.getByRole('status').filter({ hasText: 'Attack started at' }).waitFor();
    await expect.poll(() => record('rec-today')).toEqual({ version: 2, data: { date: today } });
    await expect.poll(() => status.textContent()).toBe('Today’s check-in is done.');
    await noSeriousViolations(page);

    // Undo (past the double-tap guard) removes the attack and puts the confirmation back.
    await page.clock.runFor(1000);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('status').filter({ hasText: 'Removed. Nothing was kept.' }).waitFor();
    await expect.poll(() => record('rec-today')).toEqual({ version: 3, data: { date: today, noHeadache: true } });
    await expect.poll(() => status.textContent()).toBe('Today’s check-in is done: headache-free.');

    // An attack of yesterday, logged today, corrects yesterday's check-in and says so.
    await page.getByRole('link', { name: 'Log an earlier attack' }).click();
    const started = page.getByRole('group', { name: 'Started' });
    await started.getByLabel('Date').fill(yesterday);
    await started.getByLabel('Time').fill('09:00');
    await page.getByRole('button', { name: 'It stopped earlier…' }).click();
    await page.getByRole('group', { name: 'Ended' }).getByLabel('Time').fill('11:00');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page
      .getByRole('status')
      .filter({
        hasText:
          /^Saved\. Your check-in for .* said “no headache”; it no longer does, since this attack covers that day\.$/,
      })
      .waitFor();
    await noSeriousViolations(page);
    expect(await record('rec-yesterday')).toEqual({ version: 2, data: { date: yesterday, preventiveTaken: true } });
    expect(await record('rec-today')).toEqual({ version: 3, data: { date: today, noHeadache: true } });
    await context.close();
  });
});
