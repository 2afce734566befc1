import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { importDiary } from '../../src/import/import-diary.js';
import { describeWithRealData, readRealData, realDataPath } from '../helpers/real-data.js';

const AS_OF = Date.parse('2026-01-01T00:00:00Z');

interface ExpectedMonth {
  month: string;
  recordedDays: number;
  headacheDays: number;
  migraineDays: number;
  acuteMedicationDays: number;
  triptanDays: number;
  ibuprofenDays: number;
  moderateSevereHeadacheDays: number;
  per28: { headacheDays: number; migraineDays: number; acuteMedicationDays: number } | null;
}

describeWithRealData('chronic-migraine-diary/daily.tsv', 'the real chronic migraine diary', () => {
  const dir = 'chronic-migraine-diary';
  const imported = importDiary(readRealData(`${dir}/daily.tsv`), realDataPath(`${dir}/daily.tsv`), {
    patientId: 'chronic',
    timeZone: 'Europe/London',
    events: { text: readRealData(`${dir}/events.tsv`), source: realDataPath(`${dir}/events.tsv`) },
  });
  const analysis = analyzeDiary(imported.diary, { now: AS_OF });
  // Counted by test/fixtures/chronic-diary/count_months.py, written without Relief's code.
  const expected: ExpectedMonth[] = JSON.parse(
    readFileSync(new URL('../fixtures/chronic-diary/expected-months.json', import.meta.url), 'utf8'),
  );

  test('is recognised with its events file', () => {
    expect(imported.layout).toBe('chronic-daily-tsv+events');
    expect(imported.warnings).toContain('line 21: pain 12 is above 10 and was read as 10');
  });

  test('every month matches the independent count', () => {
    expect(analysis.months.map((m) => m.month)).toEqual(expected.map((e) => e.month));
    for (const e of expected) {
      const m = analysis.months.find((x) => x.month === e.month)!;
      const got = {
        month: m.month,
        recordedDays: m.recordedDays,
        headacheDays: m.headacheDays,
        migraineDays: m.migraineDays,
        acuteMedicationDays: m.acuteMedicationDays,
        triptanDays: m.medicationDaysByClass.triptan,
        ibuprofenDays: m.medicationDaysByClass['non-opioid-analgesic'],
        moderateSevereHeadacheDays: m.moderateSevereHeadacheDays,
      };
      const { per28: expectedPer28, ...counts } = e;
      expect(got).toEqual({
        month: counts.month,
        recordedDays: counts.recordedDays,
        headacheDays: counts.headacheDays,
        migraineDays: counts.migraineDays,
        acuteMedicationDays: counts.acuteMedicationDays,
        triptanDays: counts.triptanDays,
        ibuprofenDays: counts.ibuprofenDays,
        moderateSevereHeadacheDays: counts.moderateSevereHeadacheDays,
      });
      if (expectedPer28 === null) expect(m.per28).toBeNull();
      else {
        expect(m.per28!.headacheDays).toBeCloseTo(expectedPer28.headacheDays, 10);
        expect(m.per28!.migraineDays).toBeCloseTo(expectedPer28.migraineDays, 10);
        expect(m.per28!.acuteMedicationDays).toBeCloseTo(expectedPer28.acuteMedicationDays, 10);
      }
    }
  });

  test('hand-checked months (grep/awk on the raw files; see the fixture script)', () => {
    const pick = (month: string) => analysis.months.find((m) => m.month === month)!;
    expect(pick('2017-09')).toMatchObject({
      recordedDays: 30,
      headacheDays: 30,
      migraineDays: 21,
      acuteMedicationDays: 10,
    });
    expect(pick('2018-10')).toMatchObject({ recordedDays: 14, headacheDays: 11, migraineDays: 7, per28: null });
    expect(pick('2021-06')).toMatchObject({
      recordedDays: 30,
      headacheDays: 30,
      migraineDays: 6,
      acuteMedicationDays: 6,
    });
    expect(pick('2024-10').per28!.migraineDays).toBeCloseTo((5 * 28) / 31, 12);
  });

  test('triptan overuse: at risk, then meeting 8.2.2 from the 4th consecutive month at ≥10 days', () => {
    const triptan = analysis.medicationOveruse.find((o) => o.code === '8.2.2')!;
    expect(triptan.status).toBe('meets-criteria');
    // 2018-02 .. 2018-06 each had triptan on ≥10 days and headache on ≥15 days (independent count).
    const strong = expected.filter((e) => e.triptanDays >= 10).map((e) => e.month);
    expect(triptan.months.map((m) => m.month)).toEqual(strong);
    expect(triptan.months.map((m) => m.level)).toEqual(['risk', 'risk', 'risk', 'meets-criteria', 'meets-criteria']);
    expect(analysis.classification.codesMet).toContain('8.2.2');
  });

  test('chronic migraine criterion A is met; B and C stay undetermined without attack features', () => {
    const cm = analysis.classification.diagnoses.find((d) => d.code === '1.3')!;
    expect(cm.criteria.map((c) => [c.id, c.met])).toEqual([
      ['A', true],
      ['B', null],
      ['C', null],
    ]);
    expect(cm.status).toBe('undetermined');
  });
});

describeWithRealData('daily-trigger-diary-490d.csv', 'the real daily trigger diary', () => {
  const file = 'daily-trigger-diary-490d.csv';
  const imported = importDiary(readRealData(file), realDataPath(file), { patientId: 't', timeZone: 'America/Toronto' });
  const analysis = analyzeDiary(imported.diary, { now: AS_OF });

  test('is recognised; factors on its 1–4 scale are read as 0–3', () => {
    expect(imported.layout).toBe('trigger-diary-csv');
    expect(imported.diary.dailyRecords).toHaveLength(490);
    // 2013-05-09, the first data row: Stress 2 → 1; Smoked meat 3 → 2; Cold air 1 → 0.
    const r = imported.diary.dailyRecords.find((x) => x.date === '2013-05-09')!;
    expect(r.factors).toMatchObject({ Stress: 1, 'Smoked or cured meat (e.g., hot dogs)': 2, 'Cold air exposure': 0 });
    expect(Object.keys(r.factors!)).toHaveLength(24);
    expect(r.noHeadache).toBe(true);
  });

  test('hand-checked months', () => {
    // awk -F, '$1 ~ /^2012-01/ && $2 > 0' daily-trigger-diary-490d.csv | wc -l  → 15 (of 30 rows)
    // awk -F, '$1 ~ /^2013-02/ && $2 > 0' daily-trigger-diary-490d.csv | wc -l  → 6 (of 28 rows)
    // awk -F, '$1 ~ /^2012-07/ && $2 == 2' daily-trigger-diary-490d.csv | wc -l → 4 (severity 2 = moderate)
    const jan = analysis.months.find((m) => m.month === '2012-01')!;
    expect(jan).toMatchObject({ recordedDays: 30, headacheDays: 15, migraineDays: 0, migraineDaysUndetermined: 15 });
    expect(jan.per28!.headacheDays).toBeCloseTo(14, 12);
    const feb13 = analysis.months.find((m) => m.month === '2013-02')!;
    expect(feb13).toMatchObject({ recordedDays: 28, headacheDays: 6 });
    expect(analysis.months.find((m) => m.month === '2012-07')!.moderateSevereHeadacheDays).toBe(4);
  });
});

describeWithRealData('migraine-buddy-export-sample.csv', 'a Migraine Buddy export', () => {
  test('reads its attack with time, duration, pain, symptoms and positions', () => {
    const file = 'migraine-buddy-export-sample.csv';
    const { diary, layout } = importDiary(readRealData(file), realDataPath(file), { patientId: 'm', timeZone: 'UTC' });
    expect(layout).toBe('migraine-buddy-csv');
    expect(diary.attacks).toEqual([
      expect.objectContaining({
        id: 'migraine-buddy-1',
        start: '2024-11-16T13:12:00+00:00',
        end: '2024-11-16T14:12:00+00:00',
        peakIntensity: 4,
        side: 'bilateral',
        sites: ['occipital'],
        quality: ['pulsating'],
        photophobia: true,
        phonophobia: false,
        nausea: false,
        triggers: ['Stress'],
        medications: [],
      }),
    ]);
  });
});
