import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { formatTriggers } from '../../src/cli/trigger-summary.js';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { DEFAULT_TRIGGER_CONFIG } from '../../src/domain/config.js';
import { diarySchema } from '../../src/domain/diary.js';
import { generateTriggerDiary } from '../../src/synthetic/trigger-diary-generator.js';
import { haveRealData, realDataPath } from '../helpers/real-data.js';
import { expectClose, readReference } from '../stats/reference.js';

/** Runs the CLI in-process and captures what it prints. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

const NOW = ['--now', '2026-01-01T00:00:00Z'];

describe.skipIf(!haveRealData('chronic-migraine-diary/daily.tsv'))('relief analyze on the real diaries', () => {
  test('--json on the chronic diary carries months, per28, overuse and classification', async () => {
    const file = realDataPath('chronic-migraine-diary/daily.tsv');
    const { code, stdout } = await run('analyze', file, '--json', '--time-zone', 'Europe/London', ...NOW);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.layout).toBe('chronic-daily-tsv+events');
    const sep = r.months.find((m: { month: string }) => m.month === '2017-09');
    expect(sep).toMatchObject({ recordedDays: 30, headacheDays: 30, migraineDays: 21, acuteMedicationDays: 10 });
    expect(sep.per28.migraineDays).toBeCloseTo(19.6, 10);
    expect(r.medicationOveruse.map((o: { code: string }) => o.code)).toContain('8.2.2');
    expect(r.medicationOveruse[0].months[0]).toMatchObject({ month: expect.stringMatching(/^\d{4}-\d{2}$/) });
    expect(r.classification.codesMet).toEqual(['8.2.2']);
  });

  test('the readable summary of the trigger diary', async () => {
    const file = realDataPath('daily-trigger-diary-490d.csv');
    const { code, stdout } = await run('analyze', file, '--time-zone', 'UTC', ...NOW);
    expect(code).toBe(0);
    expect(stdout).toContain('(trigger-diary-csv)');
    expect(stdout).toContain('Diary 2012-01-01 to 2013-05-09: 490 of 495 days recorded (99 %)');
    expect(stdout).toMatch(/2012-01 +30\/31 +15 +0 +15 +0 +\| +14\.0/);
  });

  test('--severity-map overrides the layout: severity 2 read as severe', async () => {
    const file = realDataPath('daily-trigger-diary-490d.csv');
    const { stdout } = await run('analyze', file, '--json', '--severity-map', '0=none,1=mild,2=severe', ...NOW);
    const july = JSON.parse(stdout).months.find((m: { month: string }) => m.month === '2012-07');
    expect(july.moderateSevereHeadacheDays).toBe(4);
  });
});

test('the example diary of the README: outcomes and questionnaires in the summary', async () => {
  const { code, stdout } = await run('analyze', 'examples/sample-diary.json', '--now', '2025-11-01T12:00:00+01:00');
  expect(code).toBe(0);
  expect(stdout).toContain('Outcome against baseline (reference date 2025-03-03');
  // MIDAS 4 + 6 + 5 + 3 + 4 = 22: grade IV (≥21). HIT-6 11 + 13 + 10 + 11 + 10 + 11 = 66: severe (≥60).
  expect(stdout).toContain('2025-03-01  MIDAS  22  grade IV');
  expect(stdout).toContain('2025-03-01  HIT-6  66  severe-impact');
  expect(stdout).toContain('2025-09-01  PGIC    2  much-improved');
});

describe('relief analyze errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relief-cli-'));

  test('a bad file exits 1 and names the line and field', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'Date,Headache severity,Notes\n2024-01-01,0,\n2024-01-02,7,\n');
    const { code, stderr, stdout } = await run('analyze', file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:3: Headache severity: "7" is not one of 0, 1, 2`);
  });

  test('bad options exit 2 with the option named', async () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, 'Date,Headache severity,Notes\n2024-01-01,0,\n');
    expect((await run('analyze', file, '--reference-date', '2024-13-01')).stderr).toContain(
      '--reference-date: must be a calendar date as YYYY-MM-DD',
    );
    expect((await run('analyze', file, '--compliance', '2')).code).toBe(2);
    expect((await run('analyze', join(dir, 'missing.csv'))).stderr).toContain('no such file');
    expect((await run('analyze', file, '--events', join(dir, 'none.tsv'))).stderr).toContain('--events:');
  });

  test('a reference date adds outcomes to the JSON', async () => {
    const file = join(dir, 'diary.json');
    const dailyRecords = Array.from({ length: 60 }, (_, k) => {
      const date = new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);
      return k % 4 === 0 ? { date, headache: { peakIntensity: 6 }, aura: true } : { date, noHeadache: true };
    });
    writeFileSync(
      file,
      JSON.stringify({ format: 'relief-diary', version: 1, patient: { id: 'p', timeZone: 'UTC' }, dailyRecords }),
    );
    const { code, stdout } = await run('analyze', file, '--json', '--reference-date', '2024-01-29', ...NOW);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    // Baseline 2024-01-01..2024-01-28: aura on days 0,4,…,24 = 7 migraine days.
    expect(r.outcomes.baseline.mmd).toBe(7);
    expect(r.outcomes.windows[0].status).toBe('insufficient-diary');
  });
});

describe.skipIf(!haveRealData('daily-trigger-diary-490d.csv'))('relief analyze: personal triggers', () => {
  const file = realDataPath('daily-trigger-diary-490d.csv');
  /** Written by scripts/r-reference/triggers-real-diary.R. */
  const expected = readReference<{
    triggers: { factor: string; lag: number; oddsRatio: number; ciLower: number; q: number; verdict: string }[];
  }>('triggers-real-diary');

  test('--json lists triggers[] with the factor, lag, counts, odds ratio, interval, p, q and verdict', async () => {
    const { code, stdout } = await run('analyze', file, '--json', '--time-zone', 'UTC', ...NOW);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.triggers).toHaveLength(48);
    expect(r.triggerAnalysis).toMatchObject({ atRiskDays: 332, onsets: 91, adjustedForMenstruation: false });
    const caffeine = r.triggers.find((t: { factor: string; lag: number }) => t.factor === 'Caffeine' && t.lag === 1);
    expect(Object.keys(caffeine)).toEqual(
      expect.arrayContaining(['factor', 'lag', 'exposedDays', 'onsets', 'oddsRatio', 'ciLower', 'ciUpper', 'p', 'q']),
    );
    const e = expected.triggers.find((t) => t.factor === 'Caffeine' && t.lag === 1)!;
    expect(caffeine.verdict).toBe('trigger');
    expectClose(caffeine.oddsRatio, e.oddsRatio, 'Caffeine OR');
    expectClose(caffeine.ciLower, e.ciLower, 'Caffeine lower limit');
    expectClose(caffeine.q, e.q, 'Caffeine q');
    const verdicts = (rows: { factor: string; lag: number; verdict: string }[]) =>
      rows.map((t) => `${t.factor} / ${t.lag}: ${t.verdict}`).sort();
    expect(verdicts(r.triggers)).toEqual(verdicts(expected.triggers));
  });

  test('the readable summary shows the lag-1 table, verdicts first, and same-day-only factors', async () => {
    const { stdout } = await run('analyze', file, '--time-zone', 'UTC', ...NOW);
    expect(stdout).toContain('Personal triggers (an attack starting the day after the factor');
    expect(stdout).toContain('332 days at risk, 91 onsets, 24 factors; not adjusted for menstruation');
    const table = stdout.slice(stdout.indexOf('Personal triggers')).split('\n');
    expect(table[3]).toMatch(/^ {2}Liquor or spirits +trigger +2\.50 +1\.49–4\.29 +0\.011 +190 +66 of 90$/);
    expect(table[4]).toMatch(/^ {2}Caffeine +trigger +2\.28 +1\.39–3\.74 +0\.013 +124 +47 of 90$/);
    expect(table.slice(3, 8).map((l) => l.trim().split(/ {2,}/)[1])).toEqual([
      'trigger',
      'trigger',
      'trigger',
      'protector',
      'insufficient-data',
    ]);
    expect(stdout).toContain(
      'associated on the same day only (possibly premonitory, not a trigger): Missed a meal, Bananas',
    );
  });

  test('--adjust-menstruation without any period recorded warns and stays unadjusted', async () => {
    const { stdout } = await run('analyze', file, '--json', '--adjust-menstruation', '--time-zone', 'UTC', ...NOW);
    const r = JSON.parse(stdout);
    expect(r.config.triggers.adjustForMenstruation).toBe(true);
    expect(r.triggerAnalysis.adjustedForMenstruation).toBe(false);
    expect(r.warnings).toContain(
      'no first day of menstrual flow is recorded: the trigger analysis is not adjusted for menstruation',
    );
  });
});

test('--adjust-menstruation adjusts a diary with recorded periods', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relief-cli-'));
  const file = join(dir, 'cycle.json');
  const diary = generateTriggerDiary({
    seed: 4,
    startDate: '2024-01-01',
    days: 200,
    factors: [{ name: 'wine', kind: 'yes-no', prevalence: 0.25, oddsRatio: 3 }],
    menstruation: { cycleLength: 28, oddsRatio: 3 },
  });
  writeFileSync(file, JSON.stringify(diary));
  const plain = JSON.parse((await run('analyze', file, '--json', ...NOW)).stdout);
  const adjusted = JSON.parse((await run('analyze', file, '--json', '--adjust-menstruation', ...NOW)).stdout);
  expect(plain.triggers[0]).toMatchObject({ factor: 'wine', lag: 1, adjustedForMenstruation: false });
  expect(adjusted.triggers[0]).toMatchObject({ factor: 'wine', lag: 1, adjustedForMenstruation: true });
  expect(adjusted.triggers[0].oddsRatio).not.toBe(plain.triggers[0].oddsRatio);
  expect((await run('analyze', file, ...NOW, '--adjust-menstruation')).stdout).toMatch(/wine .* adjusted$/m);
});

test('the trigger table names the configured level of its intervals', async () => {
  const diary = generateTriggerDiary({
    seed: 4,
    startDate: '2024-01-01',
    days: 200,
    factors: [{ name: 'wine', kind: 'yes-no', prevalence: 0.25, oddsRatio: 3 }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'relief-cli-'));
  const file = join(dir, 'wine.json');
  writeFileSync(file, JSON.stringify(diary));
  const header = (lines: string[]) => lines.find((l) => l.trimStart().startsWith('factor'))!;
  expect(header((await run('analyze', file, ...NOW)).stdout.split('\n'))).toMatch(/ OR {2}95 % CI +q /);
  const at = (level: number) =>
    analyzeDiary(diarySchema.parse(diary), {
      now: Date.parse('2026-01-01T00:00:00Z'),
      config: { triggers: { ...DEFAULT_TRIGGER_CONFIG, level } },
    });
  const ninety = at(0.9);
  const lines = formatTriggers(ninety);
  expect(header(lines)).toMatch(/ OR {2}90 % CI +q /);
  expect(header(formatTriggers(at(0.995)))).toMatch(/ OR {2}99\.5 % CI +q /);
  // The interval printed is the one at that level.
  const wine = ninety.triggers.find((t) => t.factor === 'wine' && t.lag === 1)!;
  expect(lines.find((l) => l.trimStart().startsWith('wine'))).toContain(
    `${wine.ciLower!.toFixed(2)}–${wine.ciUpper!.toFixed(2)}`,
  );
});
