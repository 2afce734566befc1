import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { ACUTE_MEDICATION_CLASSES } from '../../src/domain/medications.js';
import { overuseAtThresholds } from '../../src/domain/cohort.js';
import { SUMMED_FIELDS, summaryFromCounts, type PeriodCounts } from '../../src/domain/period-counts.js';
import { period28Range, type PeriodSummary } from '../../src/domain/periods.js';
import { addDays, firstDayOfMonth, lastDayOfMonth, localDateOf } from '../../src/domain/time.js';
import { placement } from '../../src/services/diary-service.js';
import { ServiceError } from '../../src/services/errors.js';
import type { EntryKind } from '../../src/services/model.js';
import type { RegistryRecord } from '../../src/services/registry-model.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import { checkSummaries, FAR_FUTURE_MS, syncAnchors } from '../../src/services/summaries.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { addSite, patientInput, SEEDER } from '../helpers/api.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from '../storage/close-and-drop.js';

/**
 * Random sequences of diary writes, edits, deletes, time-zone changes and procedure changes over
 * 120 days (four month ends, both 2024 spring clock changes); afterwards the stored summaries must
 * equal their recomputation from the raw rows, and the months and 28-day periods that
 * `analyzeDiary` computes from the patient's whole diary.
 */

const FIRST_DAY = '2024-02-20';
const DAYS = 120;
const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const CLASSES = ACUTE_MEDICATION_CLASSES.filter((c) => c !== 'other');

const dayOf = (n: number) => addDays(FIRST_DAY, n);
const utcInstant = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const msOf = (day: number, minute: number) => Date.parse(`${dayOf(day)}T00:00:00Z`) + minute * 60_000;

/** Days around month ends and clock changes (29 Feb, 1 Mar, 10 Mar, 30 Mar–1 Apr, 30 Apr, 1 May, 31 May, 1 Jun) come up often, so entries meet. */
const HOT_DAYS = [9, 10, 19, 39, 40, 41, 70, 71, 101, 102];
const dayArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...HOT_DAYS) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: DAYS - 1 }) },
);

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const medArb = fc.record({
  cls: fc.constantFrom(...CLASSES),
  /** Minutes after the attack start (or the day's midnight UTC); none: the entry's day. */
  offset: opt(fc.integer({ min: -90, max: 3000 })),
  effect: opt(fc.constantFrom('none', 'some', 'good', 'complete')),
});

const attackArb = fc.record({
  day: dayArb,
  minute: fc.integer({ min: 0, max: 1439 }),
  /** Minutes, or ongoing (no end), or ending at the next local midnight in Paris. */
  duration: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 10, max: 4320 }) },
    { weight: 1, arbitrary: fc.constant('ongoing' as const) },
    { weight: 1, arbitrary: fc.constant('midnight' as const) },
  ),
  peak: opt(fc.integer({ min: 0, max: 10 })),
  level: opt(fc.constantFrom('none', 'mild', 'moderate', 'severe')),
  nausea: opt(fc.boolean()),
  photophobia: opt(fc.boolean()),
  phonophobia: opt(fc.boolean()),
  side: opt(fc.constantFrom('left', 'right', 'bilateral')),
  pulsating: opt(fc.boolean()),
  aggravated: opt(fc.boolean()),
  aura: fc.integer({ min: 0, max: 5 }),
  meds: fc.array(medArb, { maxLength: 2 }),
});

const dailyArb = fc.record({
  day: dayArb,
  kind: fc.constantFrom('free', 'headache', 'pain', 'plain'),
  peak: opt(fc.integer({ min: 0, max: 10 })),
  hours: opt(fc.integer({ min: 0, max: 24 })),
  pain: opt(fc.integer({ min: 0, max: 10 })),
  aura: fc.integer({ min: 0, max: 6 }),
  meds: fc.array(medArb, { maxLength: 2 }),
});

const medicationArb = fc.record({
  day: dayArb,
  minute: fc.integer({ min: 0, max: 1439 }),
  cls: fc.constantFrom(...CLASSES),
  /** By date, by time, or both (the intake then falls on its time's day, the entry on its date). */
  how: fc.constantFrom('date', 'time', 'both'),
});

type AttackSpec = typeof attackArb extends fc.Arbitrary<infer T> ? T : never;
type DailySpec = typeof dailyArb extends fc.Arbitrary<infer T> ? T : never;
type MedSpec = typeof medArb extends fc.Arbitrary<infer T> ? T : never;
type MedicationSpec = typeof medicationArb extends fc.Arbitrary<infer T> ? T : never;

/** `pick` chooses an existing entry (edit or re-put) when below 0.5 and one exists, else a new id. */
const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('attack' as const),
      pick: fc.double({ min: 0, max: 1, noNaN: true }),
      spec: attackArb,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('daily' as const),
      pick: fc.double({ min: 0, max: 1, noNaN: true }),
      spec: dailyArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('medication' as const),
      pick: fc.double({ min: 0, max: 1, noNaN: true }),
      spec: medicationArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('delete' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('questionnaire' as const), day: dayArb }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('zone' as const), zone: fc.constantFrom(...ZONES) }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('birthYear' as const), year: opt(fc.constantFrom(1960, 2010, 2016)) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('procedureAdd' as const), day: dayArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('procedureMove' as const),
      pick: fc.nat(),
      day: dayArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('procedureDelete' as const), pick: fc.nat() }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function intake(m: MedSpec, baseMs: number): Record<string, unknown> {
  return {
    name: m.cls,
    class: m.cls,
    ...(m.offset !== undefined && { takenAt: utcInstant(baseMs + m.offset * 60_000) }),
    ...(m.effect !== undefined && { effect: m.effect }),
  };
}

function attackBody(id: string, s: AttackSpec): Record<string, unknown> {
  const startMs = msOf(s.day, s.minute);
  const start = utcInstant(startMs);
  let end: string | undefined;
  if (typeof s.duration === 'number') end = utcInstant(startMs + s.duration * 60_000);
  else if (s.duration === 'midnight') {
    const next = addDays(localDateOf(start, 'Europe/Paris'), 1);
    end = `${next}T00:00:00${next > '2024-03-31' ? '+02:00' : '+01:00'}`;
  }
  return {
    id,
    start,
    ...(end !== undefined && { end }),
    ...(s.peak !== undefined && { peakIntensity: s.peak }),
    ...(s.level !== undefined && { intensityLevel: s.level }),
    ...(s.nausea !== undefined && { nausea: s.nausea }),
    ...(s.photophobia !== undefined && { photophobia: s.photophobia }),
    ...(s.phonophobia !== undefined && { phonophobia: s.phonophobia }),
    ...(s.side !== undefined && { side: s.side }),
    ...(s.pulsating !== undefined && { quality: [s.pulsating ? 'pulsating' : 'pressing'] }),
    ...(s.aggravated !== undefined && { aggravatedByActivity: s.aggravated }),
    ...(s.aura === 0 && { aura: [{ type: 'visual', durationMinutes: 20, spreadGradually: true }] }),
    ...(s.aura === 1 && { aura: [{ type: 'sensory', fullyReversible: false }] }),
    ...(s.meds.length > 0 && { medications: s.meds.map((m) => intake(m, startMs)) }),
  };
}

function dailyBody(s: DailySpec): Record<string, unknown> {
  const date = dayOf(s.day);
  const midnight = msOf(s.day, 0);
  return {
    date,
    ...(s.kind === 'free' && { noHeadache: true }),
    ...(s.kind === 'headache' && {
      headache: {
        ...(s.peak !== undefined && { peakIntensity: s.peak }),
        ...(s.hours !== undefined && { hours: s.hours }),
      },
    }),
    ...(s.pain !== undefined && { pain: s.pain }),
    ...(s.aura === 0 && { aura: true }),
    ...(s.meds.length > 0 && { medications: s.meds.map((m) => intake(m, midnight)) }),
  };
}

function medicationBody(s: MedicationSpec): Record<string, unknown> {
  return {
    name: s.cls,
    class: s.cls,
    ...(s.how !== 'time' && { date: dayOf(s.day) }),
    ...(s.how !== 'date' && { takenAt: utcInstant(msOf(s.day, s.minute)) }),
  };
}

interface ModelEntry {
  kind: EntryKind;
  id: string;
  version: number;
  deleted: boolean;
}

interface ModelProcedure {
  id: string;
  date: string;
  version: number;
  deleted: boolean;
}

function procedureRecord(patientId: string, p: ModelProcedure, now: string): RegistryRecord {
  return {
    id: p.id,
    patientId,
    kind: 'procedure',
    startDate: p.date,
    endDate: null,
    category: 'fat-transfer',
    siteId: 's1',
    surgeon: 'S1',
    procedureId: null,
    body: { type: 'fat-transfer', date: p.date, surgeon: 'S1', siteId: 's1' },
    version: p.version,
    createdAt: now,
    updatedAt: now,
    deletedAt: p.deleted ? now : null,
  };
}

/** Runs one sequence on a fresh patient; returns it for the checks. */
async function runSequence(services: ReliefServices, store: KyselyStore, patientId: string, ops: Op[]): Promise<void> {
  let zone = 'Europe/Paris';
  let birthYear: number | undefined;
  let patientVersion = 1;
  await services.patients.put(SEEDER, patientId, patientInput('s1', patientId, { timeZone: zone }), undefined);
  const entries: ModelEntry[] = [];
  const procedures: ModelProcedure[] = [];
  let n = 0;

  const put = async (kind: EntryKind, pick: number, body: (id: string) => Record<string, unknown>) => {
    const same = entries.filter((e) => e.kind === kind);
    const target = pick < 0.5 && same.length > 0 ? same[Math.floor((pick / 0.5) * same.length)]! : undefined;
    const id = target?.id ?? `${patientId}-${kind}-${++n}`;
    try {
      const result = await services.diary.put(SEEDER, kind, patientId, id, body(id), target?.version);
      if (target) {
        target.version = result.record.version;
        target.deleted = false;
      } else entries.push({ kind, id, version: result.record.version, deleted: false });
    } catch (error) {
      // A second daily record on a date is refused and changes nothing.
      if (!(error instanceof ServiceError && error.code === 'conflict')) throw error;
    }
  };

  const procedureTx = (work: (p: ModelProcedure[]) => void) =>
    store.transaction(async (tx) => {
      work(procedures);
      const now = services.clock().toISOString();
      for (const p of procedures) {
        const existing = await tx.getRecord('procedure', p.id);
        if (!existing) await tx.insertRecord(procedureRecord(patientId, p, now));
        else if (existing.version !== p.version)
          await tx.updateRecord(procedureRecord(patientId, p, now), existing.version);
      }
      await syncAnchors(tx, (await tx.getPatient(patientId))!);
    });

  for (const op of ops) {
    switch (op.t) {
      case 'attack':
        await put('attack', op.pick, (id) => attackBody(id, op.spec));
        break;
      case 'daily':
        await put('daily-record', op.pick, () => dailyBody(op.spec));
        break;
      case 'medication':
        await put('medication', op.pick, () => medicationBody(op.spec));
        break;
      case 'questionnaire':
        await put('questionnaire', 1, () => ({ instrument: 'PGIC', date: dayOf(op.day), answer: 'much-improved' }));
        break;
      case 'delete': {
        const live = entries.filter((e) => !e.deleted);
        if (live.length === 0) break;
        const e = live[op.pick % live.length]!;
        await services.diary.delete(SEEDER, e.kind, patientId, e.id, e.version);
        e.version++;
        e.deleted = true;
        break;
      }
      case 'zone':
      case 'birthYear': {
        if (op.t === 'zone') zone = op.zone;
        else birthYear = op.year;
        const input = patientInput('s1', patientId, { timeZone: zone, ...(birthYear !== undefined && { birthYear }) });
        const result = await services.patients.put(SEEDER, patientId, input, patientVersion);
        patientVersion = result.record.version;
        break;
      }
      case 'procedureAdd':
        await procedureTx((ps) =>
          ps.push({ id: `${patientId}-proc-${++n}`, date: dayOf(op.day), version: 1, deleted: false }),
        );
        break;
      case 'procedureMove':
      case 'procedureDelete': {
        const live = procedures.filter((p) => !p.deleted);
        if (live.length === 0) break;
        const p = live[op.pick % live.length]!;
        await procedureTx(() => {
          p.version++;
          if (op.t === 'procedureMove') p.date = dayOf(op.day);
          else p.deleted = true;
        });
        break;
      }
    }
  }
}

const nonEmpty = (s: PeriodSummary) => s.recordedDays > 0 || s.attacks > 0;

/**
 * An expected summary whose means may differ from the stored one by rounding: stored sums of
 * hours and ratings are changed by differences write after write (`SUM_TOLERANCE`). Every count
 * must still be equal.
 */
const withinRounding = (s: PeriodSummary) => ({
  ...s,
  meanPeakIntensity: s.meanPeakIntensity === null ? null : (expect.closeTo(s.meanPeakIntensity, 9) as unknown),
  meanDurationHours: s.meanDurationHours === null ? null : (expect.closeTo(s.meanDurationHours, 9) as unknown),
  meanDailyPain: s.meanDailyPain === null ? null : (expect.closeTo(s.meanDailyPain, 9) as unknown),
});

const ENTRY_KINDS: EntryKind[] = ['attack', 'daily-record', 'medication', 'questionnaire'];

/** The stored rows against the recomputation and against `analyzeDiary` over the whole diary. */
async function checkPatient(services: ReliefServices, store: KyselyStore, patientId: string): Promise<void> {
  const patient = (await store.read((tx) => tx.getPatient(patientId)))!;
  expect(await store.read((tx) => checkSummaries(tx, patient))).toEqual([]);

  // Stored days follow the time zone: every entry sits where `placement` puts it in the zone now.
  for (const kind of ENTRY_KINDS) {
    for (const e of await store.read((tx) => tx.listEntries(kind, patientId, {}))) {
      const { localDate, endDate } = placement(kind, e.body, patient.timeZone);
      expect({ id: e.id, localDate: e.localDate, endDate: e.endDate }).toEqual({ id: e.id, localDate, endDate });
    }
  }

  const diary = await services.diary.diary(SEEDER, patientId);
  const analysis = analyzeDiary(diary, { now: FAR_FUTURE_MS });
  const asOf = analysis.asOf;
  const storedMonths = await store.read((tx) => tx.listMonthSummaries(patientId));
  expect(
    storedMonths.map((r) => ({
      month: r.month,
      ...summaryFromCounts(r.counts, firstDayOfMonth(r.month), lastDayOfMonth(r.month), asOf, DEFAULT_CONFIG),
    })),
  ).toEqual(analysis.months.filter(nonEmpty).map(withinRounding));
  // The columns are what cohort queries read; a sum over no value is exactly 0.
  const columnsOf = (c: PeriodCounts) => ({
    recordedDays: c.recordedDays,
    migraineDays: c.migraineDays,
    headacheDays: c.headacheDays,
    acuteMedicationDays: c.acuteMedicationDays,
    auraDays: c.auraDays,
    medicationOveruse: overuseAtThresholds(c, DEFAULT_CONFIG),
  });
  for (const r of storedMonths) {
    for (const [sum, count] of SUMMED_FIELDS)
      if (r.counts[count] === 0) expect([r.month, sum, r.counts[sum]]).toEqual([r.month, sum, 0]);
    expect(r.columns).toEqual(columnsOf(r.counts));
  }

  const anchors = [
    ...new Set((await store.read((tx) => tx.listRecords(patientId, 'procedure'))).map((r) => r.startDate)),
  ];
  expect((await store.read((tx) => tx.summaryAnchors(patientId))).every((a) => anchors.includes(a))).toBe(true);
  for (const anchor of anchors) {
    const expected = analyzeDiary(diary, { now: FAR_FUTURE_MS, referenceDate: anchor }).periods28.filter(nonEmpty);
    const stored = await store.read((tx) => tx.listPeriod28Summaries(patientId, anchor));
    for (const r of stored) {
      for (const [sum, count] of SUMMED_FIELDS)
        if (r.counts[count] === 0) expect([r.periodIndex, sum, r.counts[sum]]).toEqual([r.periodIndex, sum, 0]);
      expect(r.columns).toEqual(columnsOf(r.counts));
    }
    const asSummaries = stored.map((r) => {
      const { start, end } = period28Range(anchor, r.periodIndex);
      return { index: r.periodIndex, ...summaryFromCounts(r.counts, start, end, asOf, DEFAULT_CONFIG) };
    });
    expect(asSummaries).toEqual(expected.map(withinRounding));
  }
}

describe.each(testDatabases())('summaries after random write sequences on $name', (db) => {
  let store: KyselyStore;
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let services: ReliefServices;

  beforeAll(async () => {
    ({ config, drop } = await db.fresh());
    store = await openStore(config, { migrate: true });
    services = createServices(store, { clock: () => new Date('2024-07-01T12:00:00Z') });
    await addSite(services, 's1');
  });

  afterAll(async () => {
    await closeAndDrop(store, config, drop);
  });

  it('equal their recomputation and the analysis of the whole diary', { timeout: 120_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 30, maxLength: 60 }), async (ops) => {
        const patientId = `prop-${++run}`;
        await runSequence(services, store, patientId, ops);
        await checkPatient(services, store, patientId);
      }),
      // fast-check prints the seed of a failure: SUMMARY_PROPERTY_SEED replays it, and
      // SUMMARY_PROPERTY_RUNS runs longer.
      {
        numRuns: Number(process.env.SUMMARY_PROPERTY_RUNS ?? 25),
        ...(process.env.SUMMARY_PROPERTY_SEED && { seed: Number(process.env.SUMMARY_PROPERTY_SEED) }),
      },
    );
  });
});
