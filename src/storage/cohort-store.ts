import { sql } from 'kysely';
import { priorToxinOrBlockResponse, SITE_TEST_TREATMENTS, type CohortQuestionnaire } from '../domain/cohort.js';
import { DEFAULT_SITE_SETTINGS, siteSettingsSchema } from '../domain/site-settings.js';
import type { CohortData, CohortPeriodCounts, CohortProcedureRow, CohortQuery } from '../services/cohort-ports.js';
import { SummaryTx } from './summary-store.js';

/**
 * A period's four numbers packed in one integer, five bits each but the index: days in a 28-day
 * period are at most 28 (< 32). Whole numbers are cheaper than text to build in SQL and to read.
 */
const PACKED = sql`((s.period_index * 32 + s.recorded_days) * 32 + s.migraine_days) * 32 + s.headache_days`;

/** The last period index a packed integer holds below 2^31 (PostgreSQL's integer; 5,000 years of periods). */
const MAX_PACKED_INDEX = 65535;

/**
 * The periods subquery's comma-separated packed periods, by period index. Periods with the same
 * counts share one object (a cohort has a few thousand distinct ones among a hundred thousand),
 * which nothing changes.
 */
function periodsParser(): (text: string | null) => (CohortPeriodCounts | undefined)[] {
  const seen = new Map<number, CohortPeriodCounts>();
  return (text) => {
    const out: (CohortPeriodCounts | undefined)[] = [];
    if (text === null || text === '') return out;
    let n = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 44;
      if (c !== 44) {
        n = n * 10 + (c - 48);
        continue;
      }
      const counts = n & 32767;
      let period = seen.get(counts);
      if (!period) {
        period = { recordedDays: counts >> 10, migraineDays: (counts >> 5) & 31, headacheDays: counts & 31 };
        seen.set(counts, period);
      }
      out[Math.floor(n / 32768)] = period;
      n = 0;
    }
    return out;
  };
}

/**
 * Per procedure, its patient's live MIDAS and HIT-6 scores (the columns storage writes with each
 * response, over the index `questionnaire_responses_cohort`) as `<date><M|H><score>` joined by
 * commas, in date then id order (the order `listEntries` gives and `latestInWindow` relies on).
 * The condition repeats the index's own, so that SQLite uses it.
 */
function questionnaireScores(dialect: 'sqlite' | 'postgres') {
  const item = sql`q.local_date || case q.instrument when 'MIDAS' then 'M' else 'H' end || q.score`;
  const folded =
    dialect === 'postgres'
      ? sql`string_agg(${item}, ',' order by q.local_date, q.id)`
      : sql`group_concat(${item}, ',' order by q.local_date, q.id)`;
  return sql<string | null>`(select ${folded} from questionnaire_responses q
    where q.patient_id = p.patient_id and q.deleted_at is null and q.instrument in ('MIDAS', 'HIT-6'))`;
}

/** The questionnaireScores text, parsed. */
function unpackQuestionnaires(text: string | null): CohortQuestionnaire[] {
  if (text === null || text === '') return [];
  return text.split(',').map((item) => ({
    instrument: item.charCodeAt(10) === 77 ? 'midas' : 'hit6',
    date: item.slice(0, 10),
    score: Number(item.slice(11)),
  }));
}

/** The patients' conditions, parsed once per distinct list (most patients share a few); the lists are shared. */
function conditionsParser(): (text: string) => readonly string[] {
  const seen = new Map<string, readonly string[]>();
  return (text) => {
    let list = seen.get(text);
    if (!list) seen.set(text, (list = JSON.parse(text) as string[]));
    return list;
  };
}

/**
 * Cohort queries over procedures and period summaries; the diary tables are never read. One
 * statement returns the procedures with their patients and, per procedure, its period summaries
 * folded into one text column (a correlated subquery over the covering index `period28_summaries_cohort`):
 * a row per procedure rather than per period keeps the transfer small. The same statement reads
 * the baseline period's aura days and medication overuse and the patient's MIDAS and HIT-6
 * scores, from the columns storage writes beside the counts and the responses. Further
 * statements read the toxin and block records, the sites' candidacy thresholds, the adverse
 * events and the procedures of the cohort's patients.
 */
export abstract class CohortTx extends SummaryTx {
  async cohortData(q: CohortQuery): Promise<CohortData> {
    if ((q.siteIds && q.siteIds.length === 0) || (q.patientSiteIds && q.patientSiteIds.length === 0)) {
      return { procedures: [], adverseEvents: [], patientProcedures: [] };
    }
    const pg = this.dialect === 'postgres';
    const folded = pg ? sql`string_agg((${PACKED})::text, ',')` : sql`group_concat(${PACKED}, ',')`;
    let b = this.db
      .selectFrom('registry_records as r')
      .innerJoin('patients as pt', 'pt.id', 'r.patient_id')
      .where('r.kind', '=', 'procedure')
      .where('r.deleted_at', 'is', null);
    if (q.procedureType !== undefined) b = b.where('r.category', '=', q.procedureType);
    if (q.surgeon !== undefined) b = b.where('r.surgeon', '=', q.surgeon);
    if (q.from !== undefined) b = b.where('r.start_date', '>=', q.from);
    if (q.to !== undefined) b = b.where('r.start_date', '<=', q.to);
    if (q.siteIds !== undefined) {
      const siteIds = [...q.siteIds];
      b = b.where((eb) => eb(eb.fn.coalesce('r.site_id', 'pt.site_id'), 'in', siteIds));
    }
    if (q.patientSiteIds !== undefined) b = b.where('pt.site_id', 'in', [...q.patientSiteIds]);
    if (q.condition !== undefined) {
      // Conditions are stored as a JSON array of strings: match the quoted value.
      const pattern = `%${JSON.stringify(q.condition).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      b = b.where('pt.conditions', 'like', sql<string>`${pattern} escape '\\'`);
    }
    const selected = b
      .select([
        'r.id',
        'r.patient_id',
        'r.start_date',
        'r.category',
        'r.surgeon',
        'pt.birth_year',
        'pt.sex',
        'pt.conditions',
        'pt.site_id as patient_site_id',
      ])
      .select((eb) => eb.fn.coalesce('r.site_id', 'pt.site_id').as('site_id'))
      // Of the body, only what storage keeps beside it (`procedureCohortFacts`).
      .select(['r.adjuncts', 'r.trigger_sites'])
      .orderBy('r.patient_id')
      .orderBy('r.start_date');
    // The selected procedures, materialized in patient order: the subqueries then read each
    // patient's summary and questionnaire rows together (a fifth faster on 10,000 patients than
    // in the order of the procedures' index). Thousands of rows: read as arrays (`ProcedureRow`).
    const rows = (await this.rowArrays(
      this.db
        .with(
          (cte) => cte('p').materialized(),
          () => selected,
        )
        .selectFrom('p')
        // The baseline period's row (period 0), when there is one: recorded_days is never null in a row.
        .leftJoin('period28_summaries as b0', (join) =>
          join
            .onRef('b0.patient_id', '=', 'p.patient_id')
            .onRef('b0.anchor_date', '=', 'p.start_date')
            .on('b0.period_index', '=', 0),
        )
        .select([
          'p.id',
          'p.patient_id',
          'p.start_date',
          'p.category',
          'p.surgeon',
          'p.birth_year',
          'p.sex',
          'p.conditions',
          'p.patient_site_id',
          'p.site_id',
          'p.adjuncts',
          'p.trigger_sites',
          'b0.recorded_days',
          'b0.aura_days',
          'b0.medication_overuse',
        ])
        .select(
          sql<string | null>`(select ${folded} from period28_summaries s
            where s.patient_id = p.patient_id and s.anchor_date = p.start_date
            and s.period_index >= 0 and s.period_index <= ${Math.min(q.maxPeriod ?? MAX_PACKED_INDEX, MAX_PACKED_INDEX)})`.as(
            'periods',
          ),
        )
        .select(questionnaireScores(this.dialect).as('questionnaires')),
    )) as ProcedureRow[];
    if (rows.length === 0) return { procedures: [], adverseEvents: [], patientProcedures: [] };

    const patientIds = new Set(rows.map((r) => r[1]));
    const treatments = await this.siteTestTreatments(patientIds);
    const minRelief = await this.minBlockReliefBySite();

    // Every live adverse event, kept for the cohort's patients: far fewer rows than procedures and
    // periods, and one indexed read is cheaper than binding thousands of patient ids.
    const eventRows = await this.db
      .selectFrom('registry_records')
      .where('kind', '=', 'adverse-event')
      .where('deleted_at', 'is', null)
      .select(['patient_id', 'procedure_id', 'start_date', 'category', 'body'])
      .execute();
    const events: CohortData['adverseEvents'] = [];
    for (const e of eventRows) {
      if (!patientIds.has(e.patient_id)) continue;
      const { relation } = JSON.parse(e.body) as { relation: string };
      events.push({
        patientId: e.patient_id,
        procedureId: e.procedure_id,
        onset: e.start_date,
        grade: e.category,
        relation,
      });
    }

    const conditions = conditionsParser();
    const unpackPeriods = periodsParser();
    const procedures = rows.map(
      ([
        procedureId,
        patientId,
        date,
        procedureType,
        surgeon,
        birthYear,
        sex,
        conditionList,
        patientSiteId,
        siteId,
        adjuncts,
        triggerSites,
        baselineRecorded,
        baselineAura,
        baselineOveruse,
        periods,
        questionnaires,
      ]): CohortProcedureRow => ({
        procedureId,
        patientId,
        date,
        procedureType,
        siteId,
        surgeon,
        adjuncts: adjuncts === null || adjuncts === '[]' ? [] : (JSON.parse(adjuncts) as string[]),
        birthYear,
        sex,
        conditions: conditions(conditionList),
        periods: unpackPeriods(periods),
        baselineProfile:
          baselineRecorded === null
            ? { auraDays: null, medicationOveruse: null }
            : { auraDays: baselineAura, medicationOveruse: baselineOveruse === 1 },
        triggerSites: triggerSites ?? 0,
        priorToxinOrBlockResponse: priorToxinOrBlockResponse(
          treatments.get(patientId) ?? [],
          date,
          minRelief.get(patientSiteId) ?? DEFAULT_MIN_BLOCK_RELIEF,
        ),
        questionnaires: unpackQuestionnaires(questionnaires),
      }),
    );
    return {
      procedures,
      adverseEvents: events,
      patientProcedures: await this.patientProcedures(q, procedures, patientIds),
    };
  }

  /**
   * Every live procedure of these patients, selected or not: when only patients are filtered,
   * the selected procedures are all of them.
   */
  private async patientProcedures(
    q: CohortQuery,
    selected: readonly CohortProcedureRow[],
    patientIds: ReadonlySet<string>,
  ): Promise<CohortData['patientProcedures']> {
    const patientsOnly =
      q.procedureType === undefined &&
      q.surgeon === undefined &&
      q.from === undefined &&
      q.to === undefined &&
      q.siteIds === undefined;
    if (patientsOnly)
      return selected.map((p) => ({ patientId: p.patientId, procedureId: p.procedureId, date: p.date }));
    const rows = await this.db
      .selectFrom('registry_records')
      .where('kind', '=', 'procedure')
      .where('deleted_at', 'is', null)
      .select(['patient_id', 'id', 'start_date'])
      .execute();
    return rows
      .filter((r) => patientIds.has(r.patient_id))
      .map((r) => ({ patientId: r.patient_id, procedureId: r.id, date: r.start_date }));
  }

  /** The live botulinum toxin and nerve block records of these patients, by patient. */
  private async siteTestTreatments(patientIds: ReadonlySet<string>): Promise<Map<string, SiteTestTreatment[]>> {
    const rows = await this.db
      .selectFrom('registry_records')
      .where('kind', '=', 'treatment')
      .where('category', 'in', SITE_TEST_TREATMENTS)
      .where('deleted_at', 'is', null)
      .select(['patient_id', 'category', 'start_date'])
      .select(
        (this.dialect === 'postgres'
          ? sql<number | null>`(body::json ->> 'percentRelief')::float8`
          : sql<number | null>`json_extract(body, '$.percentRelief')`
        ).as('percent_relief'),
      )
      .execute();
    const out = new Map<string, SiteTestTreatment[]>();
    for (const r of rows) {
      if (!patientIds.has(r.patient_id)) continue;
      const treatment = { type: r.category, start: r.start_date, percentRelief: r.percent_relief };
      const list = out.get(r.patient_id);
      if (list) list.push(treatment);
      else out.set(r.patient_id, [treatment]);
    }
    return out;
  }

  /**
   * Each site's candidacy threshold for a toxin or block response; a site without settings, or
   * with settings that no longer validate, has the default (as its follow-up schedule does).
   */
  private async minBlockReliefBySite(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('site_settings').select(['site_id', 'body']).execute();
    const out = new Map<string, number>();
    for (const r of rows) {
      const parsed = siteSettingsSchema.safeParse(JSON.parse(r.body));
      if (parsed.success) out.set(r.site_id, parsed.data.candidacy.minBlockReliefPercent);
    }
    return out;
  }
}

/** A row of the cohort's procedure statement, in the order it selects. */
type ProcedureRow = [
  id: string,
  patientId: string,
  date: string,
  category: string,
  surgeon: string | null,
  birthYear: number | null,
  sex: string | null,
  conditions: string,
  patientSiteId: string,
  siteId: string,
  adjuncts: string | null,
  triggerSites: number | null,
  baselineRecordedDays: number | null,
  baselineAuraDays: number | null,
  baselineMedicationOveruse: number | null,
  periods: string | null,
  questionnaires: string | null,
];

/** What `priorToxinOrBlockResponse` reads of a treatment record. */
type SiteTestTreatment = Parameters<typeof priorToxinOrBlockResponse>[0][number];

const DEFAULT_MIN_BLOCK_RELIEF = DEFAULT_SITE_SETTINGS.candidacy.minBlockReliefPercent;
