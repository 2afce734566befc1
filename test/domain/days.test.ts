import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { deriveDays } from '../../src/domain/days.js';
import { LATER, makeDiary, MIGRAINE_FEATURES, type AttackInput } from '../helpers/diary.js';
import { addDays, daysBetween, formatInZone } from '../../src/domain/time.js';

/** A migraine-without-aura attack (ICHD-3 1.1 B–D all met) with the given instants. */
function migraine(id: string, start: string, end?: string): AttackInput {
  return {
    id,
    start,
    ...(end ? { end } : {}),
    ...MIGRAINE_FEATURES,
  };
}

function days(parts: Parameters<typeof makeDiary>[0], now = LATER) {
  return deriveDays(makeDiary(parts), DEFAULT_CONFIG, now);
}

describe('day assignment', () => {
  test('an attack over midnight is a headache day on both local dates (onset and continuation, Tassorelli 2018)', () => {
    const d = days({ attacks: [migraine('a', '2024-03-01T22:00:00+01:00', '2024-03-02T06:00:00+01:00')] });
    expect([...d.byDate.values()].filter((x) => x.headache).map((x) => x.date)).toEqual(['2024-03-01', '2024-03-02']);
    expect(d.byDate.get('2024-03-02')!.migraine).toBe(true);
    expect(d.attacks[0]!.durationMinutes).toBe(8 * 60);
  });

  test('an attack ending exactly at local midnight does not touch the next day (the end is exclusive)', () => {
    const d = days({
      attacks: [migraine('a', '2024-03-01T20:00:00+01:00', '2024-03-02T00:00:00+01:00')],
      dailyRecords: [{ date: '2024-03-02', noHeadache: true }],
    });
    expect(d.byDate.get('2024-03-01')!.headache).toBe(true);
    expect(d.byDate.get('2024-03-02')).toMatchObject({ headache: false, contradiction: false });
    // The same end written in UTC is midnight in Paris too.
    const utc = days({ attacks: [migraine('a', '2024-03-01T19:00:00Z', '2024-03-01T23:00:00Z')] });
    expect([...utc.byDate.keys()]).toEqual(['2024-03-01']);
  });

  test('an attack across the spring DST change lasts its real elapsed time', () => {
    // Paris, 31 March 2024: clocks jump from 02:00 to 03:00. 00:30+01:00 to 05:30+02:00 is 4 h.
    const d = days({ attacks: [migraine('a', '2024-03-31T00:30:00+01:00', '2024-03-31T05:30:00+02:00')] });
    expect(d.attacks[0]!.durationMinutes).toBe(240);
    expect(d.attacks[0]!.classification!.migraineWithoutAura[0]!.met).toBe(true);
    expect([...d.byDate.keys()]).toEqual(['2024-03-31']);
  });

  test('several attacks on one day make one headache day', () => {
    const d = days({
      attacks: [
        migraine('a', '2024-03-01T06:00:00+01:00', '2024-03-01T11:00:00+01:00'),
        migraine('b', '2024-03-01T15:00:00+01:00', '2024-03-01T20:00:00+01:00'),
      ],
    });
    expect(d.byDate.size).toBe(1);
    expect(d.byDate.get('2024-03-01')!.attackIds).toEqual(['a', 'b']);
    expect(d.attacks).toHaveLength(2);
  });

  test('an attack still under way and under 30 minutes old is undetermined, not "not migraine"', () => {
    const start = '2024-03-01T08:00:00+01:00';
    const d = days({ attacks: [migraine('a', start)] }, Date.parse('2024-03-01T08:10:00+01:00'));
    expect(d.attacks[0]!.migraine).toBeNull();
    expect(d.byDate.get('2024-03-01')!.migraine).toBeNull();
  });

  test('an aura that did not fully reverse is not aura (ICHD-3 1.2 B) and makes no migraine day', () => {
    const d = days({
      attacks: [
        {
          id: 'a',
          start: '2024-03-01T08:00:00+01:00',
          end: '2024-03-01T08:20:00+01:00',
          peakIntensity: 3,
          aura: [{ type: 'motor', fullyReversible: false }],
        },
      ],
    });
    expect(d.byDate.get('2024-03-01')).toMatchObject({ headache: true, migraine: false, aura: false });
  });

  test('a triptan without headache information makes a headache day; a confirmed headache-free day stays free', () => {
    const d = days({
      dailyRecords: [
        { date: '2024-03-01', medications: [{ name: 'sumatriptan', class: 'triptan' }] },
        { date: '2024-03-02', noHeadache: true, aura: true, medications: [{ name: 'sumatriptan', class: 'triptan' }] },
        { date: '2024-03-03', medications: [{ name: 'ibuprofen', class: 'non-opioid-analgesic' }] },
      ],
    });
    expect(
      ['2024-03-01', '2024-03-02', '2024-03-03'].map((x) => [d.byDate.get(x)!.headache, d.byDate.get(x)!.migraine]),
    ).toEqual([
      [true, true],
      [false, true],
      [false, false],
    ]);
  });

  test('a UTC instant is placed in the patient zone', () => {
    // 23:30Z on 1 March is 00:30 on 2 March in Paris.
    const d = days({ attacks: [migraine('a', '2024-03-01T23:30:00Z', '2024-03-02T05:00:00Z')] });
    expect([...d.byDate.keys()]).toEqual(['2024-03-02']);
  });

  test('an ongoing attack covers up to today, at most ongoingAttackMaxDays after its start', () => {
    const start = '2024-03-01T08:00:00+01:00';
    const now = Date.parse('2024-03-02T12:00:00+01:00');
    expect([...days({ attacks: [migraine('a', start)] }, now).byDate.keys()]).toEqual(['2024-03-01', '2024-03-02']);
    const later = days({ attacks: [migraine('a', start)] }, Date.parse('2024-03-20T12:00:00+01:00'));
    expect([...later.byDate.keys()]).toEqual(['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04']);
    expect(later.attacks[0]!.ongoing).toBe(true);
    expect(later.attacks[0]!.durationMinutes).toBeNull();
  });
});

describe('what a day counts as', () => {
  test('"no headache" is recorded; "no entry" is not', () => {
    const d = days({
      dailyRecords: [
        { date: '2024-03-01', noHeadache: true },
        { date: '2024-03-03', factors: { stress: 2 } },
      ],
    });
    expect(d.byDate.get('2024-03-01')).toMatchObject({ recorded: true, headache: false, migraine: false });
    expect(d.byDate.get('2024-03-02')).toBeUndefined();
    expect(d.byDate.get('2024-03-03')!.recorded).toBe(true);
  });

  test('migraine day: a 20-minute probable migraine is not one (default ≥30 min); with a triptan it is', () => {
    const short = { ...migraine('a', '2024-03-01T08:00:00+01:00', '2024-03-01T08:20:00+01:00') };
    expect(days({ attacks: [short] }).byDate.get('2024-03-01')!.migraine).toBe(false);
    const treated = { ...short, medications: [{ name: 'sumatriptan', class: 'triptan' as const }] };
    expect(days({ attacks: [treated] }).byDate.get('2024-03-01')!.migraine).toBe(true);
  });

  test('migraine day: a 45-minute attack with C and D met is probable migraine (1.5.1) and counts', () => {
    const d = days({ attacks: [migraine('a', '2024-03-01T08:00:00+01:00', '2024-03-01T08:45:00+01:00')] });
    expect(d.attacks[0]!.classification!.type).toBe('probable-migraine-without-aura');
    expect(d.byDate.get('2024-03-01')!.migraine).toBe(true);
  });

  test('migraine day: aura alone counts, even without headache', () => {
    const d = days({ dailyRecords: [{ date: '2024-03-01', noHeadache: true, aura: true }] });
    expect(d.byDate.get('2024-03-01')).toMatchObject({ headache: false, migraine: true, aura: true });
  });

  test('a day-level headache without features is undetermined, not "not migraine"', () => {
    const d = days({ dailyRecords: [{ date: '2024-03-01', headache: { peakIntensity: 6 } }] });
    expect(d.byDate.get('2024-03-01')).toMatchObject({ headache: true, migraine: null, moderateSevere: true });
  });

  test('a tension-type-like attack is a headache day but not a migraine day', () => {
    const d = days({
      attacks: [
        {
          id: 't',
          start: '2024-03-01T08:00:00+01:00',
          end: '2024-03-01T12:00:00+01:00',
          peakIntensity: 3,
          side: 'bilateral',
          quality: ['pressing'],
          aggravatedByActivity: false,
          nausea: false,
          vomiting: false,
          photophobia: true,
          phonophobia: false,
        },
      ],
    });
    expect(d.attacks[0]!.classification!.type).toBe('tension-type-like');
    expect(d.byDate.get('2024-03-01')).toMatchObject({ headache: true, migraine: false, tensionTypeLike: true });
  });

  test('medication days per class, on the day the dose was taken', () => {
    const a = {
      ...migraine('a', '2024-03-01T22:00:00+01:00', '2024-03-02T06:00:00+01:00'),
      medications: [
        { name: 'ibuprofen', class: 'non-opioid-analgesic' as const, takenAt: '2024-03-01T22:10:00+01:00' },
        { name: 'rizatriptan', class: 'triptan' as const, takenAt: '2024-03-02T01:00:00+01:00' },
      ],
    };
    const d = days({ attacks: [a] });
    expect([...d.byDate.get('2024-03-01')!.medicationClasses]).toEqual(['non-opioid-analgesic']);
    expect([...d.byDate.get('2024-03-02')!.medicationClasses]).toEqual(['triptan']);
  });

  test('every day of a multi-day attack treated with a triptan is a migraine day', () => {
    // No features recorded: only the triptan says migraine (migraine-specific medication).
    const d = days({
      attacks: [
        {
          id: 'a',
          start: '2024-03-01T20:00:00+01:00',
          end: '2024-03-03T08:00:00+01:00',
          peakIntensity: 6,
          medications: [{ name: 'eletriptan', class: 'triptan', takenAt: '2024-03-01T21:00:00+01:00' }],
        },
      ],
    });
    expect(['2024-03-01', '2024-03-02', '2024-03-03'].map((x) => d.byDate.get(x)!.migraine)).toEqual([
      true,
      true,
      true,
    ]);
  });

  test('a medication taken outside an attack does not stop the headache of that day from forming an episode', () => {
    const d = days({
      attacks: [
        {
          ...migraine('a', '2024-03-01T08:00:00+01:00', '2024-03-01T14:00:00+01:00'),
          medications: [{ name: 'ibuprofen', class: 'non-opioid-analgesic', takenAt: '2024-03-02T09:00:00+01:00' }],
        },
      ],
      dailyRecords: [{ date: '2024-03-02', headache: { peakIntensity: 4 } }],
    });
    expect(d.attacks.map((x) => [x.source, x.startDate])).toEqual([
      ['attack', '2024-03-01'],
      ['daily', '2024-03-02'],
    ]);
  });

  test('a day marked headache-free that an attack covers is flagged', () => {
    const d = days({
      attacks: [migraine('a', '2024-03-01T08:00:00+01:00', '2024-03-01T14:00:00+01:00')],
      dailyRecords: [{ date: '2024-03-01', noHeadache: true }],
    });
    expect(d.byDate.get('2024-03-01')).toMatchObject({ headache: true, contradiction: true });
  });

  test('each day-level headache day is one attack-equivalent (a daily diary does not say where attacks end)', () => {
    const d = days({
      dailyRecords: [
        { date: '2024-03-01', headache: { peakIntensity: 4, hours: 5 } },
        { date: '2024-03-02', headache: { peakIntensity: 7, hours: 24 } },
        { date: '2024-03-03', noHeadache: true },
        { date: '2024-03-04', headache: { peakIntensity: 3 } },
      ],
    });
    expect(d.attacks.map((a) => [a.id, a.startDate, a.endDate, a.peakNrs, a.durationMinutes])).toEqual([
      ['day:2024-03-01', '2024-03-01', '2024-03-01', 4, 300],
      ['day:2024-03-02', '2024-03-02', '2024-03-02', 7, 1440],
      ['day:2024-03-04', '2024-03-04', '2024-03-04', 3, null],
    ]);
  });
});

describe('properties of day assignment', () => {
  const zones = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu'];
  const attackArb = fc.record({
    startMs: fc.integer({ min: Date.parse('2023-01-01T00:00:00Z'), max: Date.parse('2025-12-31T00:00:00Z') }),
    minutes: fc.integer({ min: 1, max: 4 * 24 * 60 }),
  });

  test('each attack covers exactly the local dates from its start to its end, whatever the zone and DST', () => {
    fc.assert(
      fc.property(fc.array(attackArb, { minLength: 1, maxLength: 12 }), fc.constantFrom(...zones), (arbs, zone) => {
        const attacks = arbs.map((x, i) =>
          migraine(`a${i}`, formatInZone(x.startMs, zone), formatInZone(x.startMs + x.minutes * 60_000, zone)),
        );
        const diary = makeDiary({
          patient: { id: 'p', timeZone: zone, conditions: ['migraine'] },
          attacks,
        });
        const d = deriveDays(diary, DEFAULT_CONFIG, LATER);
        const expected = new Set<string>();
        for (const a of attacks) {
          const first = a.start.slice(0, 10);
          // The end is exclusive: an attack ending at 00:00 ended the day before (but one ending at
          // 00:00:00.001 covers the new day).
          const midnight = /T00:00:00(\.0+)?([+-]|Z)/.test(a.end!) && a.end!.slice(0, 10) > first;
          const last = midnight ? addDays(a.end!.slice(0, 10), -1) : a.end!.slice(0, 10);
          for (let k = 0; k <= daysBetween(first, last); k++) expected.add(addDays(first, k));
        }
        const headacheDays = [...d.byDate.values()].filter((x) => x.headache).map((x) => x.date);
        expect(new Set(headacheDays)).toEqual(expected);
        for (const a of d.attacks) expect(a.durationMinutes).toBe(arbs[Number(a.id.slice(1))]!.minutes);
      }),
      { numRuns: 200 },
    );
  });

  test('writing the same instants in UTC instead of local offsets changes nothing', () => {
    fc.assert(
      fc.property(fc.array(attackArb, { minLength: 1, maxLength: 8 }), fc.constantFrom(...zones), (arbs, zone) => {
        const build = (fmt: (ms: number) => string) =>
          makeDiary({
            patient: { id: 'p', timeZone: zone, conditions: ['migraine'] },
            attacks: arbs.map((x, i) => migraine(`a${i}`, fmt(x.startMs), fmt(x.startMs + x.minutes * 60_000))),
          });
        const local = deriveDays(
          build((ms) => formatInZone(ms, zone)),
          DEFAULT_CONFIG,
          LATER,
        );
        const utc = deriveDays(
          build((ms) => new Date(ms).toISOString()),
          DEFAULT_CONFIG,
          LATER,
        );
        expect([...utc.byDate.keys()].sort()).toEqual([...local.byDate.keys()].sort());
      }),
      { numRuns: 200 },
    );
  });
});
