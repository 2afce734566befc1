import { sql } from 'kysely';
import type { CohortData, CohortPeriodCounts, CohortQuery } from '../services/cohort-ports.js';
import { SummaryTx } from './summary-store.js';

/**
 * A period's four numbers packed in one integer, five bits each but the index: days in a 28-day
 * period are at most 28 (< 32). Whole numbers are cheaper than text to build in SQL and to read.
 */
const PACKED = sql`((s.period_index * 32 + s.recorded_days) * 32 + s.migraine_days) * 32 + s.headache_days`;

/** The last period index a packed integer holds below 2^31 (PostgreSQL's integer; 5,000 years of periods). */
const MAX_PACKED_INDEX = 65535;

/** The periods subquery's comma-separated packed periods, by period index. */
function unpackPeriods(text: string | null): Map<number, CohortPeriodCounts> {
  const out = new Map<number, CohortPeriodCounts>();
  if (text === null || text === '') return out;
  let n = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c !== 44) {
      n = n * 10 + (c - 48);
      continue;
    }
    out.set(Math.floor(n / 32768), { recordedDays: (n >> 10) & 31, migraineDays: (n >> 5) & 31, headacheDays: n & 31 });
    n = 0;
  }
  return out;
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
 * a row per procedure rather than per period keeps the transfer small. A second statement reads
 * the adverse events.
 */
export abstract class CohortTx extends SummaryTx {
  async cohortData(q: CohortQuery): Promise<CohortData> {
    if ((q.siteIds && q.siteIds.length === 0) || (q.patientSiteIds && q.patientSiteIds.length === 0)) {
      return { procedures: [], adverseEvents: [], patientProcedures: [] };
    }
    const folded =
      this.dialect === 'postgres' ? sql`string_agg((${PACKED})::text, ',')` : sql`group_concat(${PACKED}, ',')`;
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
    const rows = await b
      .select([
        'r.id',
        'r.patient_id',
        'r.start_date',
        'r.category',
        'r.surgeon',
        'pt.birth_year',
        'pt.sex',
        'pt.conditions',
      ])
      .select((eb) => eb.fn.coalesce('r.site_id', 'pt.site_id').as('site_id'))
      // Only the adjuncts of the body: the rest is not shown, and would be read and parsed for nothing.
      .select(
        (this.dialect === 'postgres'
          ? sql<string | null>`(r.body::json -> 'adjuncts')::text`
          : sql<string | null>`json_extract(r.body, '$.adjuncts')`
        ).as('adjuncts'),
      )
      .select(
        sql<string | null>`(select ${folded} from period28_summaries s
          where s.patient_id = r.patient_id and s.anchor_date = r.start_date
          and s.period_index >= 0 and s.period_index <= ${Math.min(q.maxPeriod ?? MAX_PACKED_INDEX, MAX_PACKED_INDEX)})`.as(
          'periods',
        ),
      )
      .execute();
    if (rows.length === 0) return { procedures: [], adverseEvents: [], patientProcedures: [] };

    // Every live adverse event, kept for the cohort's patients: far fewer rows than procedures and
    // periods, and one indexed read is cheaper than binding thousands of patient ids.
    const patientIds = new Set(rows.map((r) => r.patient_id));
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
    const patientProcedures: CohortData['patientProcedures'] = [];
    const procedureRows = await this.db
      .selectFrom('registry_records')
      .where('kind', '=', 'procedure')
      .where('deleted_at', 'is', null)
      .select(['patient_id', 'id', 'start_date'])
      .execute();
    for (const r of procedureRows) {
      if (patientIds.has(r.patient_id)) {
        patientProcedures.push({ patientId: r.patient_id, procedureId: r.id, date: r.start_date });
      }
    }

    const conditions = conditionsParser();
    return {
      procedures: rows.map((r) => ({
        procedureId: r.id,
        patientId: r.patient_id,
        date: r.start_date,
        procedureType: r.category,
        siteId: r.site_id,
        surgeon: r.surgeon,
        adjuncts: r.adjuncts === null || r.adjuncts === '[]' ? [] : (JSON.parse(r.adjuncts) as string[]),
        birthYear: r.birth_year,
        sex: r.sex,
        conditions: conditions(r.conditions),
        periods: unpackPeriods(r.periods),
      })),
      adverseEvents: events,
      patientProcedures,
    };
  }
}
