import { describe, expect, test } from 'vitest';
import {
  baselineProfileOf,
  buildCohort,
  priorToxinOrBlockResponse,
  triggerSiteCount,
  type CohortProcedure,
  type CohortQuestionnaire,
} from '../../src/domain/cohort.js';
import { DEFAULT_CONFIG } from '../../src/domain/config.js';
import { deriveDays } from '../../src/domain/days.js';
import { attacksByStartDate, countDays, isEmptyCounts } from '../../src/domain/period-counts.js';
import { period28Range } from '../../src/domain/periods.js';
import { scoreQuestionnaire } from '../../src/domain/questionnaires.js';
import { procedureSchema, treatmentSchema, type Procedure, type Treatment } from '../../src/domain/registry.js';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { generateCohort, type CohortOptions } from '../../src/synthetic/cohort-generator.js';
import { demoRecords } from '../../src/synthetic/registry-generator.js';

const OPTIONS: CohortOptions = { seed: 1, patients: 200, months: 24, endDate: '2025-06-30' };
const cohort = generateCohort(OPTIONS);
const treated = cohort.patients.filter((p) => p.profile.procedure !== null);
const recordsOf = new Map(treated.map((p) => [p.id, demoRecords(p, OPTIONS.endDate)]));

const treatments = (patientId: string) =>
  recordsOf
    .get(patientId)!
    .filter((r) => r.kind === 'treatment')
    .map((r) => r.body as Treatment);
const procedureOf = (patientId: string) =>
  recordsOf.get(patientId)!.find((r) => r.kind === 'procedure')!.body as Procedure;

describe('demoRecords', () => {
  test('are the same on every run and valid registry records', () => {
    for (const p of treated.slice(0, 20)) expect(demoRecords(p, OPTIONS.endDate)).toEqual(recordsOf.get(p.id));
    for (const p of treated) {
      expect(procedureSchema.parse(procedureOf(p.id))).toEqual(procedureOf(p.id));
      for (const t of treatments(p.id)) expect(treatmentSchema.parse(t)).toEqual(t);
    }
    expect(
      cohort.patients
        .filter((p) => p.profile.procedure === null)
        .every((p) => demoRecords(p, OPTIONS.endDate).length === 0),
    ).toBe(true);
  });

  test('toxin and blocks come before the procedure, with more relief for patients who go on to respond', () => {
    const responded = (response: string) => {
      const tests = treated
        .filter((p) => p.profile.procedure!.response === response)
        .flatMap((p) => treatments(p.id).filter((t) => t.type === 'botulinum-toxin' || t.type === 'nerve-block'));
      return tests.filter((t) => 'percentRelief' in t && t.percentRelief! >= 50).length / tests.length;
    };
    for (const p of treated) {
      for (const t of treatments(p.id)) expect(t.start < p.profile.procedure!.date).toBe(true);
    }
    // Seed 1, as drawn: the share of tests with at least 50 % relief, by synthetic course.
    expect([responded('strong'), responded('none')].map((x) => Math.round(x * 100))).toEqual([81, 50]);
  });
});

/** The cohort rows of the generated patients, computed in memory as the cohort query would read them. */
function cohortRows() {
  const today = '2025-07-01';
  const procedures: CohortProcedure[] = treated.map((p) => {
    const days = deriveDays(p.diary, DEFAULT_CONFIG, Date.parse(`${today}T00:00:00Z`));
    const byStart = attacksByStartDate(days.attacks);
    const date = p.profile.procedure!.date;
    const periods = Array.from({ length: 28 }, (_, k) => {
      const { start, end } = period28Range(date, k);
      return countDays(days, byStart, start, end);
    });
    const questionnaires = p.diary.questionnaires.flatMap((q): CohortQuestionnaire[] =>
      q.instrument === 'MIDAS' || q.instrument === 'HIT-6'
        ? [
            {
              instrument: q.instrument === 'MIDAS' ? 'midas' : 'hit6',
              date: q.date,
              score: scoreQuestionnaire(q).score,
            },
          ]
        : [],
    );
    const baseline = periods[0]!;
    const procedure = procedureOf(p.id);
    return {
      procedureId: `${p.id}-fat1`,
      patientId: p.id,
      date,
      procedureType: 'fat-transfer',
      siteId: p.record.siteId,
      surgeon: procedure.surgeon,
      adjuncts: procedure.adjuncts,
      birthYear: p.record.birthYear,
      sex: p.record.sex,
      conditions: p.record.conditions,
      periods,
      baselineProfile: baselineProfileOf(isEmptyCounts(baseline) ? undefined : baseline, DEFAULT_CONFIG),
      triggerSites: triggerSiteCount(procedure.recipientSites.map((s) => s.site)),
      priorToxinOrBlockResponse: priorToxinOrBlockResponse(
        treatments(p.id),
        date,
        DEFAULT_SITE_SETTINGS.candidacy.minBlockReliefPercent,
      ),
      questionnaires,
    };
  });
  return buildCohort({
    procedures,
    adverseEvents: [],
    filter: {},
    today,
    cfg: DEFAULT_CONFIG,
    visits: DEFAULT_SITE_SETTINGS.followUp,
    // Rows in the patients' order (each draw keeps its place in the shuffle).
    random: () => 1 - 1e-12,
  });
}

describe('the demo cohort gives the cohort statistics something to work on', () => {
  test('every predictor varies, and MIDAS and HIT-6 are scored at the visits (seed 1, as drawn)', () => {
    const report = cohortRows();
    const rows = report.patients;
    const tally = (pick: (r: (typeof rows)[number]) => boolean | null) =>
      [true, false, null].map((v) => rows.filter((r) => pick(r) === v).length);
    expect(rows.length).toBe(135);
    expect(tally((r) => r.predictors.aura)).toEqual([29, 106, 0]);
    expect(tally((r) => r.predictors.medicationOveruse)).toEqual([30, 105, 0]);
    expect(tally((r) => r.predictors.priorToxinOrBlockResponse)).toEqual([72, 63, 0]);
    expect(tally((r) => r.predictors.decompression)).toEqual([29, 106, 0]);
    expect([0, 1, 2, 3, 4].map((n) => rows.filter((r) => r.predictors.triggerSites === n).length)).toEqual([
      10, 20, 43, 45, 17,
    ]);
    const scored = (pick: (r: (typeof rows)[number]) => number | null) => rows.filter((r) => pick(r) !== null).length;
    expect([scored((r) => r.baseline.midas), scored((r) => r.baseline.hit6)]).toEqual([124, 124]);
    expect(
      report.windows.map((w, i) => [w.visitId, scored((r) => r.windows[i]!.midas), scored((r) => r.windows[i]!.hit6)]),
    ).toEqual([
      ['m1', 0, 124],
      ['m3', 124, 124],
      ['m6', 117, 117],
      ['m12', 53, 53],
      ['m24', 0, 0],
    ]);
    // MIDAS follows headache days: it falls with the synthetic response.
    const change = (response: string) => {
      const changes = rows.flatMap((r, i) => {
        const p = treated[i]!;
        const m6 = r.windows[2]!.midas;
        return p.profile.procedure!.response === response && m6 !== null && r.baseline.midas !== null
          ? [m6 - r.baseline.midas]
          : [];
      });
      return changes.reduce((s, x) => s + x, 0) / changes.length;
    };
    expect(change('strong')).toBeLessThan(change('none'));
  });
});
