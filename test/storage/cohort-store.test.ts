import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CohortQuestionnaire } from '../../src/domain/cohort.js';
import { HIT6_ANSWERS, scoreQuestionnaire, type QuestionnaireResponse } from '../../src/domain/questionnaires.js';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { addDays } from '../../src/domain/time.js';
import { DiaryImportService, type ImportEntry } from '../../src/services/bulk-import.js';
import type { CohortProcedureRow } from '../../src/services/cohort-ports.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { addPatient, addSite, ManualClock, SEEDER } from '../helpers/api.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from './close-and-drop.js';

/**
 * The predictors and questionnaire scores the cohort query reads, worked by hand. Site s2 asks
 * for 70 % relief from a block or toxin; s1 has the default 50 %.
 *
 * pa (s1), procedure 2025-03-01 with nerve decompression, fat at frontal (bilateral), occipital
 *   (left and right) and a scar: 2 trigger sites. Baseline (period 0, 1–28 February): 20 recorded
 *   days, aura on 2 of them, a triptan on 10 (ICHD-3 8.2.2: overuse). A nerve block on 10 January
 *   gave exactly 50 % relief (a response at s1); a toxin after the procedure does not count.
 *   Questionnaires: MIDAS 2 + 3 + 4 + 5 + 6 = 20 and HIT-6 6 + 8 + 10 + 11 + 13 + 13 = 61 on
 *   20 February; MIDAS 0 + 1 + 2 + 0 + 4 = 7 on 1 June; a deleted MIDAS, a PGIC and a DN4 (not read).
 * pb (s2), procedure 2025-05-01 at the chest wall: no trigger site, no diary. Blocks of 60 %
 *   (below s2's 70 %) on 1 April and of 90 % on the day of the procedure (not before it), a toxin
 *   with no relief recorded: no documented response.
 * pc (s1), procedure 2025-03-01 at the nasal and temporal sites. Baseline: 28 days, aura on 3,
 *   ibuprofen on 9 and a triptan on 3 (12 days together, two classes: 8.2.6), stored before aura
 *   days were counted (the counts JSON has no auraDays). A toxin of 80 % on 1 December 2024, deleted.
 */

const midasAnswers = (items: [number, number, number, number, number]) => ({
  missedWorkOrSchool: items[0],
  reducedWorkOrSchool: items[1],
  missedHousework: items[2],
  reducedHousework: items[3],
  missedFamilySocialLeisure: items[4],
  headacheDays: 30,
  averagePain: 6,
});

const questionnaire = (patientId: string, n: number, body: QuestionnaireResponse): ImportEntry => ({
  kind: 'questionnaire',
  id: `${patientId}-q${n}`,
  body,
});

/** Daily records over `days` days from `start`: aura on the first `aura`, each day's medications from `meds`. */
function baselineDays(
  patientId: string,
  start: string,
  days: number,
  aura: number,
  meds: (i: number) => { name: string; class: string }[],
): ImportEntry[] {
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(start, i);
    const medications = meds(i);
    return {
      kind: 'daily-record' as const,
      id: `${patientId}-d${date}`,
      body: {
        date,
        ...(i < aura ? { aura: true } : { noHeadache: true }),
        ...(medications.length > 0 ? { medications } : {}),
      },
    };
  });
}

function procedureBody(date: string, siteId: string, sites: [string, string][], adjuncts: string[] = []) {
  return {
    date,
    surgeon: 'S1',
    siteId,
    donorSites: ['abdomen'],
    harvest: { technique: 'syringe-coleman', cannulaGauge: 14 },
    processing: { method: 'decantation' },
    recipientSites: sites.map(([site, side]) => ({ site, side, volumeMl: 2 })),
    adjuncts,
    anaesthesia: 'local',
  };
}

describe.each(testDatabases())('cohort query predictors on $name', (db) => {
  let store: KyselyStore;
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let services: ReliefServices;

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    store = await openStore(config, { migrate: true });
    services = createServices(store, { clock: new ManualClock('2026-01-01T09:00:00Z').now });
  });

  afterEach(async () => {
    await closeAndDrop(store, config, drop);
  });

  const cohort = async (): Promise<Map<string, CohortProcedureRow>> => {
    const data = await store.read((tx) => tx.cohortData({}));
    return new Map(data.procedures.map((p) => [p.procedureId, p]));
  };
  const put = (kind: 'procedure' | 'treatment', patientId: string, id: string, body: object) =>
    services.registry.put(SEEDER, kind, patientId, id, body, undefined);

  async function seed(): Promise<void> {
    await addSite(services, 's1');
    await addSite(services, 's2');
    await services.siteSettings.put(
      SEEDER,
      's2',
      { ...DEFAULT_SITE_SETTINGS, candidacy: { ...DEFAULT_SITE_SETTINGS.candidacy, minBlockReliefPercent: 70 } },
      undefined,
    );
    await addPatient(services, 'pa', 's1');
    await addPatient(services, 'pb', 's2');
    await addPatient(services, 'pc', 's1');
    const importer = new DiaryImportService(store, services.clock);
    const triptan = { name: 'sumatriptan', class: 'triptan' };
    const ibuprofen = { name: 'ibuprofen', class: 'non-opioid-analgesic' };
    await importer.importEntries(SEEDER, 'pa', [
      ...baselineDays('pa', '2025-02-01', 20, 2, (i) => (i < 10 ? [triptan] : [])),
      questionnaire('pa', 1, { instrument: 'MIDAS', date: '2025-02-20', answers: midasAnswers([2, 3, 4, 5, 6]) }),
      questionnaire('pa', 2, {
        instrument: 'HIT-6',
        date: '2025-02-20',
        answers: ['never', 'rarely', 'sometimes', 'very-often', 'always', 'always'],
      }),
      questionnaire('pa', 3, { instrument: 'MIDAS', date: '2025-06-01', answers: midasAnswers([0, 1, 2, 0, 4]) }),
      questionnaire('pa', 4, { instrument: 'PGIC', date: '2025-06-01', answer: 'much-improved' }),
      questionnaire('pa', 5, { instrument: 'DN4', date: '2025-06-01', answers: Array<boolean>(10).fill(true) }),
      questionnaire('pa', 6, { instrument: 'MIDAS', date: '2025-06-02', answers: midasAnswers([9, 9, 9, 9, 9]) }),
    ]);
    await services.diary.delete(SEEDER, 'questionnaire', 'pa', 'pa-q6', undefined);
    await importer.importEntries(SEEDER, 'pc', [
      ...baselineDays('pc', '2025-02-01', 28, 3, (i) => (i < 9 ? [ibuprofen] : i < 12 ? [triptan] : [])),
    ]);

    await put(
      'procedure',
      'pa',
      'proc-a',
      procedureBody(
        '2025-03-01',
        's1',
        [
          ['frontal', 'bilateral'],
          ['occipital', 'left'],
          ['occipital', 'right'],
          ['scar', 'left'],
        ],
        ['nerve-decompression'],
      ),
    );
    await put('treatment', 'pa', 'tx-a1', {
      type: 'nerve-block',
      start: '2025-01-10',
      site: 'occipital',
      side: 'left',
      percentRelief: 50,
    });
    await put('treatment', 'pa', 'tx-a2', {
      type: 'botulinum-toxin',
      start: '2025-04-01',
      doseUnits: 155,
      sites: ['frontal'],
      percentRelief: 90,
    });
    await put('procedure', 'pb', 'proc-b', procedureBody('2025-05-01', 's2', [['chest-wall', 'left']]));
    await put('treatment', 'pb', 'tx-b1', {
      type: 'nerve-block',
      start: '2025-04-01',
      site: 'occipital',
      side: 'left',
      percentRelief: 60,
    });
    await put('treatment', 'pb', 'tx-b2', {
      type: 'nerve-block',
      start: '2025-05-01',
      site: 'occipital',
      side: 'right',
      percentRelief: 90,
    });
    await put('treatment', 'pb', 'tx-b3', {
      type: 'botulinum-toxin',
      start: '2025-03-01',
      doseUnits: 100,
      sites: ['frontal'],
    });
    await put(
      'procedure',
      'pc',
      'proc-c',
      procedureBody('2025-03-01', 's1', [
        ['nasal', 'bilateral'],
        ['temporal', 'left'],
      ]),
    );
    await put('treatment', 'pc', 'tx-c1', {
      type: 'botulinum-toxin',
      start: '2024-12-01',
      doseUnits: 155,
      sites: ['temporal'],
      percentRelief: 80,
    });
    await put('treatment', 'pc', 'tx-c2', { type: 'cgrp-antibody', drug: 'erenumab', start: '2024-10-01' });
    await services.registry.delete(SEEDER, 'treatment', 'pc', 'tx-c1', undefined);
    // pc's baseline row as written before aura days were counted (migration 0003 leaves its
    // aura_days column unknown too).
    const row = await store.db
      .selectFrom('period28_summaries')
      .select('counts')
      .where('patient_id', '=', 'pc')
      .where('period_index', '=', 0)
      .executeTakeFirstOrThrow();
    const { auraDays, ...legacy } = JSON.parse(row.counts) as Record<string, unknown>;
    expect(auraDays).toBe(3);
    await store.db
      .updateTable('period28_summaries')
      .set({ counts: JSON.stringify(legacy), aura_days: null })
      .where('patient_id', '=', 'pc')
      .where('period_index', '=', 0)
      .execute();
  }

  it('reads baseline profile, trigger sites, prior response and MIDAS and HIT-6 scores', async () => {
    await seed();
    const rows = await cohort();
    expect([...rows.keys()].sort()).toEqual(['proc-a', 'proc-b', 'proc-c']);
    const pick = (p: CohortProcedureRow) => ({
      baselineProfile: p.baselineProfile,
      triggerSites: p.triggerSites,
      priorToxinOrBlockResponse: p.priorToxinOrBlockResponse,
      questionnaires: p.questionnaires,
      adjuncts: p.adjuncts,
    });
    expect(pick(rows.get('proc-a')!)).toEqual({
      baselineProfile: { auraDays: 2, medicationOveruse: true },
      triggerSites: 2,
      priorToxinOrBlockResponse: true,
      questionnaires: [
        { instrument: 'midas', date: '2025-02-20', score: 20 },
        { instrument: 'hit6', date: '2025-02-20', score: 61 },
        { instrument: 'midas', date: '2025-06-01', score: 7 },
      ],
      adjuncts: ['nerve-decompression'],
    });
    expect(pick(rows.get('proc-b')!)).toEqual({
      baselineProfile: { auraDays: null, medicationOveruse: null },
      triggerSites: 0,
      priorToxinOrBlockResponse: false,
      questionnaires: [],
      adjuncts: [],
    });
    expect(pick(rows.get('proc-c')!)).toEqual({
      baselineProfile: { auraDays: null, medicationOveruse: true },
      triggerSites: 2,
      priorToxinOrBlockResponse: false,
      questionnaires: [],
      adjuncts: [],
    });
  });

  it("applies each patient's site threshold, and the default where settings are missing or invalid", async () => {
    await seed();
    // At s2's 70 %, pa's 50 % block is no response; at s1's default, pb's 60 % block would be one.
    await store.transaction(async (tx) => {
      const patient = (await tx.getPatient('pa'))!;
      expect(await tx.updatePatient({ ...patient, siteId: 's2', version: patient.version + 1 }, patient.version)).toBe(
        true,
      );
    });
    expect((await cohort()).get('proc-a')!.priorToxinOrBlockResponse).toBe(false);
    await store.db.updateTable('site_settings').set({ body: '{"followUp": []}' }).where('site_id', '=', 's2').execute();
    expect((await cohort()).get('proc-a')!.priorToxinOrBlockResponse).toBe(true);
  });

  it('reads MIDAS and HIT-6 scores as scoreQuestionnaire scores them, on random answers', async () => {
    await addSite(services, 's1');
    await addPatient(services, 'pq', 's1');
    const item = fc.integer({ min: 0, max: 90 });
    const response = fc.oneof(
      fc
        .tuple(item, item, item, item, item)
        .map((items): QuestionnaireResponse => ({ instrument: 'MIDAS', date: '', answers: midasAnswers(items) })),
      fc
        .array(fc.constantFrom(...HIT6_ANSWERS), { minLength: 6, maxLength: 6 })
        .map((answers): QuestionnaireResponse => ({ instrument: 'HIT-6', date: '', answers })),
    );
    const responses = fc
      .sample(response, { numRuns: 60, seed: 5 })
      .map((r, i) => ({ ...r, date: addDays('2024-01-01', i) }));
    await new DiaryImportService(store, services.clock).importEntries(
      SEEDER,
      'pq',
      responses.map((r, i) => questionnaire('pq', i, r)),
    );
    await put('procedure', 'pq', 'proc-q', procedureBody('2024-06-01', 's1', [['frontal', 'left']]));
    const expected = responses.map((r): CohortQuestionnaire => ({
      instrument: r.instrument === 'MIDAS' ? 'midas' : 'hit6',
      date: r.date,
      score: scoreQuestionnaire(r).score,
    }));
    expect((await cohort()).get('proc-q')!.questionnaires).toEqual(expected);
    expect(new Set(expected.map((q) => q.instrument))).toEqual(new Set(['midas', 'hit6']));
  });
});
