import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import type { DailyRecord } from '../../src/domain/diary.js';
import { MHI_UNIT, mmdChangeFrom } from '../../src/domain/outcomes.js';
import { addDays } from '../../src/domain/time.js';
import { LATER, makeDiary, type AttackInput } from '../helpers/diary.js';

/** Daily records from `start` for `n` days; `headache(k)` says which day offsets had a headache. */
function dailyRun(
  start: string,
  n: number,
  headache: (k: number) => DailyRecord['headache'] | undefined,
): DailyRecord[] {
  return Array.from({ length: n }, (_, k) => {
    const h = headache(k);
    return h ? { date: addDays(start, k), headache: h } : { date: addDays(start, k), noHeadache: true };
  });
}

/** A 1.1 migraine attack starting at 08:00 local on `date`, lasting `hours`, with peak `nrs`. */
function attackOn(id: string, date: string, hours: number, nrs = 8): AttackInput {
  const endMs = Date.parse(`${date}T08:00:00Z`) + hours * 3_600_000;
  const end = new Date(endMs).toISOString().replace('.000Z', 'Z');
  return {
    id,
    start: `${date}T08:00:00Z`,
    end,
    peakIntensity: nrs,
    side: 'right',
    quality: ['pulsating'],
    nausea: true,
    photophobia: true,
    phonophobia: true,
  };
}

const UTC_PATIENT = { id: 'p', timeZone: 'UTC', conditions: ['migraine' as const] };

describe('monthly summaries and normalisation to 28 days', () => {
  test('worked example: 25 of 30 June days recorded, 10 headache days → 11.2 per 28 days', () => {
    // 10 × 28 / 25 = 11.2 (count × 28 / recorded days, clinical-reference §2).
    const records = dailyRun('2024-06-01', 25, (k) => (k < 10 ? { peakIntensity: 5 } : undefined));
    const r = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords: records }), { now: LATER });
    const june = r.months.find((m) => m.month === '2024-06')!;
    expect(june).toMatchObject({ days: 30, recordedDays: 25, headacheDays: 10, sufficient: true });
    expect(june.compliance).toBeCloseTo(25 / 30, 12);
    expect(june.per28!.headacheDays).toBeCloseTo(11.2, 12);
  });

  test('a month under the 80 % compliance threshold is insufficient and never scaled', () => {
    const records = dailyRun('2024-06-01', 23, (k) => (k < 10 ? { peakIntensity: 5 } : undefined));
    const june = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords: records }), { now: LATER }).months[0]!;
    expect(june).toMatchObject({ recordedDays: 23, headacheDays: 10, sufficient: false, per28: null });
  });

  test('daily neuropathic pain: days rated and their mean', () => {
    const dailyRecords: DailyRecord[] = [
      { date: '2024-06-01', noHeadache: true, pain: 6 },
      { date: '2024-06-02', noHeadache: true, pain: 3 },
      { date: '2024-06-03', noHeadache: true },
    ];
    const june = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords }), { now: LATER }).months[0]!;
    expect(june).toMatchObject({ recordedDays: 3, painRatedDays: 2, meanDailyPain: 4.5 });
  });

  test('entries dated after "now" are not analysed', () => {
    const records = dailyRun('2025-03-01', 31, (k) => (k >= 20 ? { peakIntensity: 6 } : undefined));
    const r = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords: records }), {
      now: Date.parse('2025-03-10T12:00:00Z'),
    });
    expect(r.months[0]).toMatchObject({ days: 10, recordedDays: 10, headacheDays: 0, compliance: 1 });
    expect(r.span).toMatchObject({ first: '2025-03-01', last: '2025-03-10', days: 10, recordedDays: 10 });
    expect(r.attacks).toEqual([]);
    expect(r.warnings).toEqual(['entries after 2025-03-10 are not analysed']);
  });

  test('days after "now" are not counted as missing', () => {
    const records = dailyRun('2024-06-01', 10, () => undefined);
    const now = Date.parse('2024-06-10T12:00:00Z');
    const june = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords: records }), { now }).months[0]!;
    expect(june).toMatchObject({ days: 10, recordedDays: 10, sufficient: true });
  });

  test('property: per28 × recorded days / 28 gives back each count; sufficiency follows the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<'none' | 'free' | 'headache'>('none', 'free', 'headache'), {
          minLength: 28,
          maxLength: 28,
        }),
        (pattern) => {
          const dailyRecords = pattern.flatMap((p, k): DailyRecord[] =>
            p === 'none'
              ? []
              : [
                  p === 'free'
                    ? { date: addDays('2024-02-01', k), noHeadache: true }
                    : { date: addDays('2024-02-01', k), headache: { peakIntensity: 6 } },
                ],
          );
          if (dailyRecords.length === 0) return;
          const r = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords, referenceDate: '2024-02-01' }), {
            now: LATER,
          });
          const p1 = r.periods28.find((p) => p.index === 1)!;
          const recorded = pattern.filter((p) => p !== 'none').length;
          const headache = pattern.filter((p) => p === 'headache').length;
          expect(p1).toMatchObject({
            start: '2024-02-01',
            end: '2024-02-28',
            recordedDays: recorded,
            headacheDays: headache,
          });
          expect(p1.sufficient).toBe(recorded / 28 >= 0.8);
          if (p1.per28) expect((p1.per28.headacheDays * recorded) / 28).toBeCloseTo(headache, 9);
          else expect(recorded / 28).toBeLessThan(0.8);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('28-day periods are anchored on the reference date: period 1 starts on it, period 0 is the 28 days before', () => {
    const records = dailyRun('2024-01-01', 120, () => undefined);
    const r = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords: records, referenceDate: '2024-02-15' }), {
      now: LATER,
    });
    expect(r.periodAnchor).toBe('2024-02-15');
    const byIndex = new Map(r.periods28.map((p) => [p.index, p]));
    expect(byIndex.get(0)).toMatchObject({ start: '2024-01-18', end: '2024-02-14' });
    expect(byIndex.get(1)).toMatchObject({ start: '2024-02-15', end: '2024-03-13' });
    expect(byIndex.get(-1)).toMatchObject({ start: '2023-12-21', end: '2024-01-17', recordedDays: 17 });
  });
});

describe('outcomes against baseline', () => {
  test('MMD change from baseline: follow-up − baseline, percent of baseline, none from 0 or a missing value', () => {
    expect(mmdChangeFrom(12, 4)).toEqual({ mmdChange: -8, mmdPercentChange: (-8 / 12) * 100 });
    expect(mmdChangeFrom(0, 3)).toEqual({ mmdChange: 3, mmdPercentChange: null });
    expect(mmdChangeFrom(null, 3)).toEqual({ mmdChange: null, mmdPercentChange: null });
    expect(mmdChangeFrom(6, null)).toEqual({ mmdChange: null, mmdPercentChange: null });
  });

  // Baseline: the 28 days before 2024-03-01 (2024-02-02 .. 2024-02-29), all recorded, 8 migraine days.
  // Months 1–3: periods 1–3, 2024-03-01 .. 2024-05-23 (84 days), all recorded, 6 migraine days.
  const reference = '2024-03-01';
  const baselineAttacks = [0, 3, 6, 9, 12, 15, 18, 21].map((k) => attackOn(`b${k}`, addDays('2024-02-02', k), 6, 8));
  const followAttacks = [0, 14, 28, 42, 56, 70].map((k) => attackOn(`f${k}`, addDays(reference, k), 3, 4));
  const records = dailyRun('2024-02-02', 28 + 84, () => undefined).filter(
    (r) => ![...baselineAttacks, ...followAttacks].some((a) => a.start.startsWith(r.date)),
  );
  const diary = makeDiary({
    patient: UTC_PATIENT,
    attacks: [...baselineAttacks, ...followAttacks],
    dailyRecords: records,
  });
  const r = analyzeDiary(diary, { now: Date.parse('2024-06-01T00:00:00Z'), referenceDate: reference });

  test('MMD change, percent change and responder flags (worked by hand)', () => {
    const o = r.outcomes!;
    expect(o.baseline.summary).toMatchObject({ start: '2024-02-02', end: '2024-02-29', recordedDays: 28 });
    expect(o.baseline.mmd).toBe(8);
    const w = o.windows[0]!;
    expect(w).toMatchObject({ label: 'months 1-3', status: 'complete' });
    // 6 migraine days × 28 / 84 recorded days = 2 MMD; change −6; −75 %.
    expect(w.mmd).toBeCloseTo(2, 12);
    expect(w.mmdChange).toBeCloseTo(-6, 12);
    expect(w.mmdPercentChange).toBeCloseTo(-75, 12);
    expect(w.responders).toEqual([
      { threshold: 0.5, responder: true },
      { threshold: 0.75, responder: true },
      { threshold: 1, responder: false },
    ]);
    // Months 4–6 began on 2024-05-24 with nothing recorded yet; months 7–12 have not begun.
    expect(o.windows[1]!.status).toBe('insufficient-diary');
    expect(o.windows[2]!.status).toBe('not-started');
  });

  test('MHI with its components and unit; Guyuron success and worsening', () => {
    const o = r.outcomes!;
    // Baseline: 8 attacks/28 d × 8 × 0.25 d = 16. Months 1–3: 2 × 4 × 0.125 = 1.
    expect(o.baseline.mhi).toEqual({
      frequencyPer28: 8,
      meanIntensity: 8,
      meanDurationDays: 0.25,
      value: 16,
      unit: MHI_UNIT,
    });
    const w = o.windows[0]!;
    expect(w.mhi!.value).toBeCloseTo(1, 12);
    expect(w.mhiPercentChange).toBeCloseTo(-93.75, 10);
    expect(w.guyuron.frequencyFall).toBeCloseTo(0.75, 12);
    expect(w.guyuron.intensityFall).toBeCloseTo(0.5, 12);
    expect(w.guyuron.durationFall).toBeCloseTo(0.5, 12);
    expect(w.guyuron.success).toBe(true);
    expect(w.guyuron.worsening).toBe(false);
  });

  test('Guyuron success (≥50 % fall in any component) and worsening (≥10 % rise in MHI)', () => {
    const windowFor = (attacks: AttackInput[]) => {
      const recs = dailyRun('2024-02-02', 28 + 84, () => undefined).filter(
        (x) => !attacks.some((a) => a.start.startsWith(x.date)),
      );
      return analyzeDiary(makeDiary({ patient: UTC_PATIENT, attacks, dailyRecords: recs }), {
        now: Date.parse('2024-06-01T00:00:00Z'),
        referenceDate: reference,
      }).outcomes!.windows[0]!;
    };
    // Baseline: 5 attacks of 4 h at 5/10. MHI = 5 × 5 × (4/24) = 4.1667.
    const base = [0, 5, 10, 15, 20].map((k) => attackOn(`b${k}`, addDays('2024-02-02', k), 4, 5));
    // Better: 3 attacks of 8 h at 6/10 over 84 days: frequency 3 × 28 / 84 = 1, MHI 1 × 6 × 1/3 = 2.
    const w = windowFor([...base, ...[0, 30, 60].map((k) => attackOn(`f${k}`, addDays(reference, k), 8, 6))]);
    expect(w.mhi!.value).toBeCloseTo(2, 10);
    expect(w.guyuron.frequencyFall).toBeCloseTo(0.8, 10);
    expect(w.guyuron.success).toBe(true);
    expect(w.guyuron.worsening).toBe(false);

    // Worse: 12 attacks of 12 h at 7/10 over the 84 days (one a week).
    const worse = Array.from({ length: 12 }, (_, i) => attackOn(`w${i}`, addDays(reference, i * 7), 12, 7));
    const w2 = windowFor([...base, ...worse]);
    // Before: 5 × 5 × 1/6 = 4.1667. After: (12 × 28/84 = 4) × 7 × 0.5 = 14: a rise of 236 %.
    expect(w2.mhi!.value).toBeCloseTo(14, 10);
    expect(w2.mhiPercentChange).toBeCloseTo(((14 - 25 / 6) / (25 / 6)) * 100, 8);
    expect(w2.guyuron.frequencyFall).toBeCloseTo(0.2, 10);
    expect(w2.guyuron.worsening).toBe(true);
    expect(w2.guyuron.success).toBe(false);

    // The two definitions can hold at once: frequency −67 % (success) while MHI rises 40 % (worsening).
    const both = [0, 16, 32, 48, 64].map((k) => attackOn(`x${k}`, addDays(reference, k), 12, 7));
    const w3 = windowFor([...base, ...both]);
    // After: (5 × 28/84) × 7 × 0.5 = 5.8333 against 4.1667.
    expect(w3.mhi!.value).toBeCloseTo(35 / 6, 10);
    expect(w3.mhiPercentChange).toBeCloseTo(40, 8);
    expect(w3.guyuron.success).toBe(true);
    expect(w3.guyuron.worsening).toBe(true);
  });

  test('worsening from a baseline MHI of 0: any migraine afterwards is a rise beyond 10 %', () => {
    const after = [0, 14, 28, 42, 56, 70].map((k) => attackOn(`f${k}`, addDays(reference, k), 6, 6));
    const recs = dailyRun('2024-02-02', 28 + 84, () => undefined).filter(
      (x) => !after.some((a) => a.start.startsWith(x.date)),
    );
    const o = analyzeDiary(makeDiary({ patient: UTC_PATIENT, attacks: after, dailyRecords: recs }), {
      now: Date.parse('2024-06-01T00:00:00Z'),
      referenceDate: reference,
    }).outcomes!;
    expect(o.baseline.mhi!.value).toBe(0);
    // 6 attacks × 28 / 84 = 2 per 28 days × 6 × 0.25 days = 3.
    expect(o.windows[0]!.mhi!.value).toBeCloseTo(3, 12);
    expect(o.windows[0]!.mhiPercentChange).toBeNull();
    expect(o.windows[0]!.guyuron.worsening).toBe(true);
  });

  test('no baseline diary: outcomes say so instead of comparing', () => {
    const onlyAfter = dailyRun(reference, 84, () => ({ peakIntensity: 5 }));
    const o = analyzeDiary(makeDiary({ patient: UTC_PATIENT, dailyRecords: onlyAfter }), {
      now: Date.parse('2024-06-01T00:00:00Z'),
      referenceDate: reference,
    }).outcomes!;
    expect(o.baseline.mmd).toBeNull();
    expect(o.windows[0]).toMatchObject({ status: 'no-baseline', mmdChange: null });
    expect(o.windows[0]!.responders.every((x) => x.responder === null)).toBe(true);
  });
});
