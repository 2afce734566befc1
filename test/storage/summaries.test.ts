import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyCounts, type PeriodCounts } from '../../src/domain/period-counts.js';
import { DiaryImportService } from '../../src/services/bulk-import.js';
import type { PatientRecord } from '../../src/services/model.js';
import type { RegistryRecord } from '../../src/services/registry-model.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import { checkSummaries, rebuildSummaries, recomputeSummaries, syncAnchors } from '../../src/services/summaries.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import { addPatient, addSite, ManualClock, patientInput, SEEDER } from '../helpers/api.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from './close-and-drop.js';

/** Counts with only the given fields set. */
function counts(fields: Partial<Omit<PeriodCounts, 'medicationDaysByClass'>>, byClass = {}): PeriodCounts {
  const c = emptyCounts();
  return { ...c, ...fields, medicationDaysByClass: { ...c.medicationDaysByClass, ...byClass } };
}

function procedure(id: string, patientId: string, date: string, deletedAt: string | null = null): RegistryRecord {
  return {
    id,
    patientId,
    kind: 'procedure',
    startDate: date,
    endDate: null,
    category: 'fat-transfer',
    siteId: 's1',
    surgeon: 'S1',
    procedureId: null,
    body: { type: 'fat-transfer', date, surgeon: 'S1', siteId: 's1' },
    version: 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    deletedAt,
  };
}

/** A migraine attack with aura from 22:00 on 31 January to 03:00 on 1 February (Paris). */
const OVER_MIDNIGHT = {
  id: 'a1',
  start: '2024-01-31T22:00:00+01:00',
  end: '2024-02-01T03:00:00+01:00',
  peakIntensity: 7,
  aura: [{ type: 'visual', fullyReversible: true }],
};

describe.each(testDatabases())('patient-period summaries on $name', (db) => {
  let store: KyselyStore;
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let services: ReliefServices;

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    store = await openStore(config, { migrate: true });
    services = createServices(store, { clock: new ManualClock('2024-06-01T12:00:00Z').now });
    await addSite(services, 's1');
    await addPatient(services, 'p1', 's1', { timeZone: 'Europe/Paris' });
    await addPatient(services, 'p2', 's1', { timeZone: 'Europe/Paris' });
  });

  afterEach(async () => {
    await closeAndDrop(store, config, drop);
  });

  const patient = async (id = 'p1'): Promise<PatientRecord> => (await store.read((tx) => tx.getPatient(id)))!;
  const months = (id = 'p1') => store.read((tx) => tx.listMonthSummaries(id));
  const periods = (anchor: string, id = 'p1') => store.read((tx) => tx.listPeriod28Summaries(id, anchor));
  const put = (
    kind: 'attack' | 'daily-record' | 'medication' | 'questionnaire',
    id: string,
    body: object,
    v?: number,
  ) => services.diary.put(SEEDER, kind, 'p1', id, body as Record<string, unknown>, v);

  describe('the store port', () => {
    it('upserts, lists by range, and deletes month rows, with the columns equal to the counts', async () => {
      // A triptan on 10 days meets ICHD-3 8.2.2 (medication overuse); aura on 2 days.
      const jan = counts(
        { recordedDays: 20, headacheDays: 6, migraineDays: 4, acuteMedicationDays: 10, attacks: 5, auraDays: 2 },
        { triptan: 10 },
      );
      const feb = counts(
        { recordedDays: 25, headacheDays: 2, migraineDays: 1, acuteMedicationDays: 1 },
        { triptan: 1 },
      );
      await store.transaction(async (tx) => {
        await tx.upsertMonthSummaries('p1', [
          { month: '2024-01', counts: jan },
          { month: '2024-02', counts: feb },
          { month: '2024-03', counts: jan },
        ]);
        await tx.upsertMonthSummaries('p2', [{ month: '2024-01', counts: feb }]);
      });
      expect((await months()).map((r) => r.month)).toEqual(['2024-01', '2024-02', '2024-03']);
      const [, second] = await months();
      expect(second).toEqual({
        month: '2024-02',
        counts: feb,
        columns: {
          recordedDays: 25,
          migraineDays: 1,
          headacheDays: 2,
          acuteMedicationDays: 1,
          auraDays: 0,
          medicationOveruse: false,
        },
      });
      const ranged = await store.read((tx) => tx.listMonthSummaries('p1', { from: '2024-02', to: '2024-02' }));
      expect(ranged.map((r) => r.month)).toEqual(['2024-02']);

      // Upsert replaces the row, columns included.
      await store.transaction((tx) => tx.upsertMonthSummaries('p1', [{ month: '2024-02', counts: jan }]));
      expect((await months())[1]).toEqual({
        month: '2024-02',
        counts: jan,
        columns: {
          recordedDays: 20,
          migraineDays: 4,
          headacheDays: 6,
          acuteMedicationDays: 10,
          auraDays: 2,
          medicationOveruse: true,
        },
      });
      const column = await store.db
        .selectFrom('month_summaries')
        .select(['migraine_days', 'headache_days', 'recorded_days', 'aura_days', 'medication_overuse'])
        .where('patient_id', '=', 'p1')
        .where('month', '=', '2024-02')
        .executeTakeFirstOrThrow();
      expect(column).toEqual({
        migraine_days: 4,
        headache_days: 6,
        recorded_days: 20,
        aura_days: 2,
        medication_overuse: 1,
      });

      // Counts stored before aura days were counted: the column keeps them unknown too.
      const { auraDays: _unknown, ...legacy } = feb;
      await store.transaction((tx) =>
        tx.upsertMonthSummaries('p1', [{ month: '2024-03', counts: legacy as PeriodCounts }]),
      );
      expect((await months())[2]!.columns).toMatchObject({ recordedDays: 25, auraDays: null });

      expect(await store.transaction((tx) => tx.deleteMonthSummaries('p1', { from: '2024-02' }))).toBe(2);
      expect((await months()).map((r) => r.month)).toEqual(['2024-01']);
      expect(await store.transaction((tx) => tx.deleteMonthSummaries('p1'))).toBe(1);
      expect(await months()).toEqual([]);
      expect((await months('p2')).map((r) => r.counts)).toEqual([feb]);
    });

    it('reads the entries that meet a range for summaries, each kind in list order', async () => {
      const long = { id: 'a-long', start: '2024-03-28T10:00:00+01:00', end: '2024-04-02T09:00:00+02:00' };
      await put('attack', 'a-long', long);
      await put('attack', 'a-march', { id: 'a-march', start: '2024-03-20T10:00:00+01:00' });
      await put('daily-record', 'd-0402', { date: '2024-04-02', pain: 3 });
      await put('daily-record', 'd-0401', { date: '2024-04-01', noHeadache: true });
      await put('daily-record', 'd-0403', { date: '2024-04-03' });
      await services.diary.delete(SEEDER, 'daily-record', 'p1', 'd-0403', undefined);
      await put('daily-record', 'd-0405', { date: '2024-04-05' });
      await put('medication', 'm1', { name: 'ibuprofen', class: 'non-opioid-analgesic', date: '2024-04-04' });
      await services.diary.put(SEEDER, 'daily-record', 'p2', 'other', { date: '2024-04-02' }, undefined);

      const got = await store.read((tx) => tx.listSummaryEntries('p1', { from: '2024-04-01', to: '2024-04-04' }));
      expect(got).toEqual({
        attacks: [{ id: 'a-long', localDate: '2024-03-28', endDate: '2024-04-02', body: long }],
        dailyRecords: [
          {
            id: 'd-0401',
            localDate: '2024-04-01',
            endDate: '2024-04-01',
            body: { date: '2024-04-01', noHeadache: true },
          },
          { id: 'd-0402', localDate: '2024-04-02', endDate: '2024-04-02', body: { date: '2024-04-02', pain: 3 } },
        ],
        medications: [
          {
            id: 'm1',
            localDate: '2024-04-04',
            endDate: '2024-04-04',
            body: { name: 'ibuprofen', class: 'non-opioid-analgesic', date: '2024-04-04' },
          },
        ],
      });
      const all = await store.read((tx) => tx.listSummaryEntries('p1'));
      // An ongoing attack is stored over its start day and the next three.
      expect(all.attacks.map((e) => [e.id, e.localDate, e.endDate])).toEqual([
        ['a-march', '2024-03-20', '2024-03-23'],
        ['a-long', '2024-03-28', '2024-04-02'],
      ]);
      expect(all.dailyRecords.map((e) => e.id)).toEqual(['d-0401', 'd-0402', 'd-0405']);
      expect(all.medications.map((e) => e.id)).toEqual(['m1']);
    });

    it('reads, within a margin beyond the range, only the entries that record a medication time', async () => {
      await put('daily-record', 'd-0330', {
        date: '2024-03-30',
        medications: [{ name: 'sumatriptan', class: 'triptan', takenAt: '2024-04-01T07:00:00+02:00' }],
      });
      await put('daily-record', 'd-0331', { date: '2024-03-31', notes: 'wrote "takenAt" here' });
      await put('daily-record', 'd-0402', { date: '2024-04-02', pain: 3 });
      await put('medication', 'm-0404', { name: 'ibuprofen', class: 'non-opioid-analgesic', date: '2024-04-04' });
      await put('medication', 'm-0405', {
        name: 'ibuprofen',
        class: 'non-opioid-analgesic',
        takenAt: '2024-04-05T09:00:00+02:00',
      });
      await put('attack', 'a-0405', {
        id: 'a-0405',
        start: '2024-04-05T10:00:00+02:00',
        end: '2024-04-05T11:00:00+02:00',
      });
      await put('daily-record', 'd-0408', {
        date: '2024-04-08',
        medications: [{ name: 'sumatriptan', class: 'triptan', takenAt: '2024-04-08T07:00:00+02:00' }],
      });
      const ids = async (marginDays?: number) => {
        const e = await store.read((tx) =>
          tx.listSummaryEntries('p1', { from: '2024-04-01', to: '2024-04-02' }, marginDays),
        );
        return [...e.attacks, ...e.dailyRecords, ...e.medications].map((x) => x.id);
      };
      expect(await ids()).toEqual(['d-0402']);
      // Two days on either side: a record with a medication time, and every attack; a note that
      // merely mentions the word is left out, as is a medication entry without a time.
      expect(await ids(2)).toEqual(['d-0330', 'd-0402']);
      expect(await ids(3)).toEqual(['a-0405', 'd-0330', 'd-0402', 'm-0405']);
    });

    it('lists the live procedure dates, each once, in order', async () => {
      await store.transaction(async (tx) => {
        await tx.insertRecord(procedure('proc1', 'p1', '2024-05-10'));
        await tx.insertRecord(procedure('proc2', 'p1', '2024-03-01'));
        await tx.insertRecord(procedure('proc3', 'p1', '2024-05-10'));
        await tx.insertRecord(procedure('proc4', 'p1', '2024-04-01', '2024-06-01T12:00:00.000Z'));
        await tx.insertRecord(procedure('proc5', 'p2', '2024-02-01'));
      });
      expect(await store.read((tx) => tx.procedureDates('p1'))).toEqual(['2024-03-01', '2024-05-10']);
      expect(await store.read((tx) => tx.procedureDates('p2'))).toEqual(['2024-02-01']);
    });

    it('keeps period rows per anchor, lists them by index range and deletes an anchor whole', async () => {
      const base = counts({ recordedDays: 28, headacheDays: 10, migraineDays: 8, attacks: 6 });
      const after = counts({ recordedDays: 27, headacheDays: 4, migraineDays: 3, attacks: 2 });
      await store.transaction(async (tx) => {
        await tx.upsertPeriod28Summaries('p1', '2024-03-01', [
          { periodIndex: -1, counts: base },
          { periodIndex: 0, counts: base },
          { periodIndex: 1, counts: after },
          { periodIndex: 2, counts: after },
        ]);
        await tx.upsertPeriod28Summaries('p1', '2024-05-10', [{ periodIndex: 0, counts: after }]);
      });
      expect(await store.read((tx) => tx.summaryAnchors('p1'))).toEqual(['2024-03-01', '2024-05-10']);
      expect(await store.read((tx) => tx.summaryAnchors('p2'))).toEqual([]);
      expect((await periods('2024-03-01')).map((r) => r.periodIndex)).toEqual([-1, 0, 1, 2]);
      const window = await store.read((tx) =>
        tx.listPeriod28Summaries('p1', '2024-03-01', { fromIndex: 0, toIndex: 1 }),
      );
      expect(window).toEqual([
        {
          periodIndex: 0,
          counts: base,
          columns: {
            recordedDays: 28,
            migraineDays: 8,
            headacheDays: 10,
            acuteMedicationDays: 0,
            auraDays: 0,
            medicationOveruse: false,
          },
        },
        {
          periodIndex: 1,
          counts: after,
          columns: {
            recordedDays: 27,
            migraineDays: 3,
            headacheDays: 4,
            acuteMedicationDays: 0,
            auraDays: 0,
            medicationOveruse: false,
          },
        },
      ]);
      expect(
        await store.transaction((tx) => tx.deletePeriod28Summaries('p1', '2024-03-01', { fromIndex: 2, toIndex: 2 })),
      ).toBe(1);
      expect((await periods('2024-03-01')).map((r) => r.periodIndex)).toEqual([-1, 0, 1]);
      expect(await store.transaction((tx) => tx.deletePeriod28Summaries('p1', '2024-03-01'))).toBe(3);
      expect(await store.read((tx) => tx.summaryAnchors('p1'))).toEqual(['2024-05-10']);
    });
  });

  describe('kept in step with diary writes', () => {
    it('counts an attack over midnight on both days and in both months', async () => {
      await put('attack', 'a1', OVER_MIDNIGHT);
      const rows = await months();
      expect(rows.map((r) => r.month)).toEqual(['2024-01', '2024-02']);
      const [jan, feb] = rows;
      expect(jan!.counts).toMatchObject({
        recordedDays: 1,
        headacheDays: 1,
        migraineDays: 1,
        attacks: 1,
        migraineAttacks: 1,
        peakSum: 7,
        peakCount: 1,
        durationHoursSum: 5,
        durationCount: 1,
        acuteMedicationDays: 0,
      });
      // The attack is counted once, on its start day; its second day is still a migraine day.
      expect(feb!.counts).toMatchObject({ recordedDays: 1, headacheDays: 1, migraineDays: 1, attacks: 0 });
      expect(feb!.columns).toEqual({
        recordedDays: 1,
        migraineDays: 1,
        headacheDays: 1,
        acuteMedicationDays: 0,
        auraDays: 1,
        medicationOveruse: false,
      });

      // A triptan on 10 February: a recorded migraine (and so headache) day with acute medication.
      await put('medication', 'm1', { name: 'sumatriptan', class: 'triptan', date: '2024-02-10' });
      expect((await months())[1]!.counts).toMatchObject({
        recordedDays: 2,
        headacheDays: 2,
        migraineDays: 2,
        acuteMedicationDays: 1,
        migraineSpecificMedicationDays: 1,
        medicationDaysByClass: expect.objectContaining({ triptan: 1 }) as unknown,
        attacks: 0,
      });
      // A questionnaire changes no summary.
      await put('questionnaire', 'q1', { instrument: 'PGIC', date: '2024-03-03', answer: 'much-improved' });
      expect((await months()).map((r) => r.month)).toEqual(['2024-01', '2024-02']);
    });

    it('removes a row when a deletion leaves the month with nothing recorded', async () => {
      await put('daily-record', 'd1', { date: '2024-03-05', noHeadache: true });
      expect((await months()).map((r) => [r.month, r.counts.recordedDays, r.counts.headacheDays])).toEqual([
        ['2024-03', 1, 0],
      ]);
      await services.diary.delete(SEEDER, 'daily-record', 'p1', 'd1', undefined);
      expect(await months()).toEqual([]);
      // Brought back (with its version): the row returns.
      await put('daily-record', 'd1', { date: '2024-03-05', noHeadache: true }, 2);
      expect((await months()).map((r) => r.month)).toEqual(['2024-03']);
    });

    it('moves the counts when an edit moves an attack to another month', async () => {
      await put('attack', 'a1', OVER_MIDNIGHT);
      await put(
        'attack',
        'a1',
        { ...OVER_MIDNIGHT, start: '2024-03-10T08:00:00+01:00', end: '2024-03-10T20:00:00+01:00' },
        1,
      );
      const rows = await months();
      expect(rows.map((r) => r.month)).toEqual(['2024-03']);
      expect(rows[0]!.counts).toMatchObject({ recordedDays: 1, migraineDays: 1, attacks: 1, durationHoursSum: 12 });
    });

    it('changes a row by what the write changed, without counting the month again', async () => {
      await put('daily-record', 'd1', { date: '2024-03-05', headache: { peakIntensity: 4 } });
      // A row made wrong behind the summaries' back stays wrong by as much: only the days of the
      // entry written are counted, not the rest of the month.
      const [march] = await months();
      const wrong = { ...march!.counts, headacheDays: march!.counts.headacheDays + 5 };
      await store.transaction((tx) => tx.upsertMonthSummaries('p1', [{ month: '2024-03', counts: wrong }]));
      await put('daily-record', 'd2', { date: '2024-03-06', headache: { peakIntensity: 6 } });
      await put('daily-record', 'd1', { date: '2024-03-05', noHeadache: true }, 1);
      expect((await months()).map((r) => [r.month, r.counts.recordedDays, r.counts.headacheDays])).toEqual([
        ['2024-03', 2, 6],
      ]);
      const p1 = await patient();
      expect(await store.read((tx) => checkSummaries(tx, p1))).toEqual([
        {
          patientId: 'p1',
          table: 'month_summaries',
          key: '2024-03',
          problem: 'differs',
          field: 'headacheDays',
          stored: 6,
          expected: 1,
        },
        {
          patientId: 'p1',
          table: 'month_summaries',
          key: '2024-03',
          problem: 'differs',
          field: 'headache_days',
          stored: 6,
          expected: 1,
        },
      ]);
    });

    it('counts a medication taken far from its entry on its day, also when the entry is edited', async () => {
      const record = (pain: number) => ({
        date: '2024-03-05',
        pain,
        medications: [{ name: 'sumatriptan', class: 'triptan', takenAt: '2024-03-20T08:00:00+01:00' }],
      });
      await put('daily-record', 'd1', record(2));
      await put('daily-record', 'd1', record(5), 1);
      const [march] = await months();
      // 5 March (the record) and 20 March (a triptan: a migraine day, so a headache day).
      expect(march!.counts).toMatchObject({
        recordedDays: 2,
        headacheDays: 1,
        migraineDays: 1,
        acuteMedicationDays: 1,
        medicationDaysByClass: expect.objectContaining({ triptan: 1 }) as unknown,
        painSum: 5,
        painCount: 1,
      });
      const p1 = await patient();
      expect(await store.read((tx) => checkSummaries(tx, p1))).toEqual([]);
      await services.diary.delete(SEEDER, 'daily-record', 'p1', 'd1', 2);
      expect(await months()).toEqual([]);
    });

    it('keeps a sum within rounding of its recount, and exactly 0 once nothing is left to sum', async () => {
      await put('daily-record', 'd1', { date: '2024-03-05', noHeadache: true });
      const attack = (minutes: number) => ({
        id: 'a1',
        start: '2024-03-06T10:00:00+01:00',
        end: new Date(Date.parse('2024-03-06T09:00:00Z') + minutes * 60_000).toISOString(),
      });
      // 3 minutes, then 1: the hours sum is 3/60 + (1/60 − 3/60), a little off 1/60; taking 1/60
      // away again leaves about −3.5e-18 behind, which must not stay.
      await put('attack', 'a1', attack(3));
      await put('attack', 'a1', attack(1), 1);
      const [edited] = await months();
      expect(edited!.counts.durationCount).toBe(1);
      expect(edited!.counts.durationHoursSum).toBeCloseTo(1 / 60, 12);
      const p1 = await patient();
      expect(await store.read((tx) => checkSummaries(tx, p1))).toEqual([]);
      await services.diary.delete(SEEDER, 'attack', 'p1', 'a1', 2);
      const [left] = await months();
      expect(left!.counts).toEqual(counts({ recordedDays: 1 }));
    });

    it('keeps 28-day periods around each procedure date', async () => {
      await put('attack', 'a1', OVER_MIDNIGHT);
      await put('medication', 'm1', { name: 'sumatriptan', class: 'triptan', date: '2024-02-10' });
      const p1 = await patient();
      await store.transaction(async (tx) => {
        await tx.insertRecord(procedure('proc1', 'p1', '2024-02-01'));
        await syncAnchors(tx, p1);
      });
      // Period 0 is 4–31 January, period 1 is 1–28 February.
      const rows = await periods('2024-02-01');
      expect(rows.map((r) => r.periodIndex)).toEqual([0, 1]);
      expect(rows[0]!.counts).toMatchObject({ recordedDays: 1, headacheDays: 1, migraineDays: 1, attacks: 1 });
      expect(rows[1]!.counts).toMatchObject({
        recordedDays: 2,
        headacheDays: 2,
        migraineDays: 2,
        attacks: 0,
        acuteMedicationDays: 1,
      });

      // A diary write after the procedure lands in period 2 (29 February – 27 March).
      await put('daily-record', 'd1', { date: '2024-03-01', headache: { peakIntensity: 4 } });
      const withDaily = await periods('2024-02-01');
      expect(withDaily.map((r) => [r.periodIndex, r.counts.recordedDays, r.counts.headacheDays])).toEqual([
        [0, 1, 1],
        [1, 2, 2],
        [2, 1, 1],
      ]);
      // A headache that only a daily record describes counts as an attack of its own.
      expect(withDaily[2]!.counts.attacks).toBe(1);

      // Moving the procedure re-anchors the periods: 10 February makes 31 January–1 February period 0.
      await store.transaction(async (tx) => {
        await tx.updateRecord({ ...procedure('proc1', 'p1', '2024-02-10'), version: 2 }, 1);
        await syncAnchors(tx, p1);
      });
      expect(await store.read((tx) => tx.summaryAnchors('p1'))).toEqual(['2024-02-10']);
      expect(
        (await periods('2024-02-10')).map((r) => [r.periodIndex, r.counts.recordedDays, r.counts.attacks]),
      ).toEqual([
        [0, 2, 1],
        [1, 2, 1],
      ]);

      // Deleting the procedure removes its periods; months stay.
      await store.transaction(async (tx) => {
        await tx.updateRecord({ ...procedure('proc1', 'p1', '2024-02-10', '2024-06-01T12:00:00.000Z'), version: 3 }, 2);
        await syncAnchors(tx, p1);
      });
      expect(await store.read((tx) => tx.summaryAnchors('p1'))).toEqual([]);
      expect((await months()).map((r) => r.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    });

    it('keeps aura days unknown in rows stored before they were counted, until they are rebuilt', async () => {
      await put('attack', 'a1', OVER_MIDNIGHT);
      const p1 = await patient();
      await store.transaction(async (tx) => {
        await tx.insertRecord(procedure('proc1', 'p1', '2024-02-01'));
        await syncAnchors(tx, p1);
      });
      expect((await months()).map((r) => [r.month, r.counts.auraDays])).toEqual([
        ['2024-01', 1],
        ['2024-02', 1],
      ]);
      // January's month row and period 0 (4–31 January) as an older Relief wrote them (and as
      // migration 0003 filled in their aura_days column: unknown).
      const strip = (text: string) => {
        const { auraDays: _unknown, ...rest } = JSON.parse(text) as Record<string, unknown>;
        return JSON.stringify(rest);
      };
      const jan = await store.db
        .selectFrom('month_summaries')
        .select('counts')
        .where('month', '=', '2024-01')
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('month_summaries')
        .set({ counts: strip(jan.counts), aura_days: null })
        .where('month', '=', '2024-01')
        .execute();
      const p0 = await store.db
        .selectFrom('period28_summaries')
        .select('counts')
        .where('period_index', '=', 0)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('period28_summaries')
        .set({ counts: strip(p0.counts), aura_days: null })
        .where('period_index', '=', 0)
        .execute();

      // A daily record with aura adds to the other counts; the aura days stay unknown, not 0 or NaN.
      await put('daily-record', 'd1', { date: '2024-01-10', aura: true });
      const raw = await store.db
        .selectFrom('month_summaries')
        .select('counts')
        .where('month', '=', '2024-01')
        .executeTakeFirstOrThrow();
      expect(raw.counts).not.toContain('auraDays');
      expect(JSON.parse(raw.counts)).toMatchObject({ recordedDays: 2, migraineDays: 2 });
      expect((await periods('2024-02-01'))[0]!.counts).toMatchObject({ recordedDays: 2 });
      expect((await periods('2024-02-01'))[0]!.counts.auraDays).toBeUndefined();
      expect((await periods('2024-02-01'))[0]!.columns.auraDays).toBeNull();
      expect((await months())[0]!.columns.auraDays).toBeNull();

      // The check names each such row, in its counts and its column; a rebuild counts them.
      const differences = await store.read((tx) => checkSummaries(tx, p1));
      const unknown = { patientId: 'p1', problem: 'differs', stored: null, expected: 2 };
      expect(differences).toEqual([
        { ...unknown, table: 'month_summaries', key: '2024-01', field: 'auraDays' },
        { ...unknown, table: 'month_summaries', key: '2024-01', field: 'aura_days' },
        { ...unknown, table: 'period28_summaries', key: '2024-02-01#0', field: 'auraDays' },
        { ...unknown, table: 'period28_summaries', key: '2024-02-01#0', field: 'aura_days' },
      ]);
      await store.transaction((tx) => rebuildSummaries(tx, p1));
      expect((await months())[0]!.counts.auraDays).toBe(2);
      expect((await months())[0]!.columns.auraDays).toBe(2);
      expect((await periods('2024-02-01'))[0]!.counts.auraDays).toBe(2);
      expect((await periods('2024-02-01'))[0]!.columns.auraDays).toBe(2);
      expect(await store.read((tx) => checkSummaries(tx, p1))).toEqual([]);
    });

    it('rebuilds every row when the time zone changes the local days', async () => {
      // 23:30 UTC on 30 April is 1 May in Paris, still 30 April in New York.
      await put('attack', 'a1', { id: 'a1', start: '2024-04-30T23:30:00Z', end: '2024-04-30T23:50:00Z' });
      expect((await months()).map((r) => r.month)).toEqual(['2024-05']);
      await put('medication', 'm1', {
        name: 'ibuprofen',
        class: 'non-opioid-analgesic',
        takenAt: '2024-04-30T23:40:00Z',
      });
      await services.patients.put(SEEDER, 'p1', patientInput('s1', 'Patient p1', { timeZone: 'America/New_York' }), 1);
      expect((await months()).map((r) => r.month)).toEqual(['2024-04']);
      // The entries are stored on their days in the new zone, with their versions unchanged.
      const stored = async (kind: 'attack' | 'medication') =>
        (await store.read((tx) => tx.listEntries(kind, 'p1', {}))).map((e) => [
          e.id,
          e.localDate,
          e.endDate,
          e.version,
        ]);
      expect(await stored('attack')).toEqual([['a1', '2024-04-30', '2024-04-30', 1]]);
      expect(await stored('medication')).toEqual([['m1', '2024-04-30', '2024-04-30', 1]]);
      const p1 = await patient();
      expect(await store.read((tx) => recomputeSummaries(tx, p1))).toEqual({
        months: (await months()).map(({ month, counts: c }) => ({ month, counts: c })),
        periods: [],
      });
    });

    it('writes the summaries of a bulk import once, equal to the recomputation', async () => {
      const p1 = await patient();
      await store.transaction(async (tx) => {
        await tx.insertRecord(procedure('proc1', 'p1', '2024-02-15'));
        await syncAnchors(tx, p1);
      });
      const entries = [];
      for (let day = 1; day <= 60; day++) {
        const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
        entries.push({
          kind: 'daily-record' as const,
          id: `d${day}`,
          body: day % 5 === 0 ? { date, headache: { intensityLevel: 'moderate' } } : { date, noHeadache: true },
        });
      }
      entries.push({ kind: 'attack' as const, id: 'a1', body: OVER_MIDNIGHT });
      const result = await new DiaryImportService(store, services.clock).importEntries(SEEDER, 'p1', entries);
      expect(result).toEqual({ created: 61, unchanged: 0 });
      const rows = await months();
      expect(rows.map((r) => [r.month, r.counts.recordedDays, r.counts.headacheDays, r.counts.attacks])).toEqual([
        ['2024-01', 31, 7, 7],
        ['2024-02', 29, 7, 6],
      ]);
      const expected = await store.read((tx) => recomputeSummaries(tx, p1));
      expect(expected.months).toEqual(rows.map(({ month, counts: c }) => ({ month, counts: c })));
      expect(expected.periods).toEqual([
        {
          anchorDate: '2024-02-15',
          rows: (await periods('2024-02-15')).map(({ periodIndex, counts: c }) => ({ periodIndex, counts: c })),
        },
      ]);
      expect((await periods('2024-02-15')).map((r) => [r.periodIndex, r.counts.recordedDays])).toEqual([
        [-1, 17],
        [0, 28],
        [1, 15],
      ]);
      // Nothing else of p2 was touched.
      expect(await months('p2')).toEqual([]);
      const n = await sql<{ n: number }>`select count(*) as n from month_summaries`.execute(store.db);
      expect(Number(n.rows[0]!.n)).toBe(2);
    });
  });
});
