import { diaryStateFromCounts, followUpSchedule } from '../domain/follow-up.js';
import { RECENT_OVERUSE_MONTHS } from '../domain/medication-overuse.js';
import type { PeriodCounts } from '../domain/period-counts.js';
import { summaryFromCounts } from '../domain/period-counts.js';
import {
  complianceWindow,
  DEFAULT_PATIENT_FLAG_CONFIG,
  followUpOverdueFlag,
  lowComplianceFlag,
  medicationOveruseFlag,
  patientStatus,
  recordedDaysIn,
  worseningFlag,
  type PatientFlag,
  type PatientFlagConfig,
  type PatientFlagName,
  type PatientStatus,
  type ProcedureSchedule,
} from '../domain/patient-flags.js';
import type { MonthSummary } from '../domain/periods.js';
import { DEFAULT_REGISTRY_OUTCOME_CONFIG, procedureOutcome } from '../domain/registry-outcomes.js';
import { DEFAULT_SITE_SETTINGS, siteSettingsSchema, type FollowUpVisit } from '../domain/site-settings.js';
import { addDays, firstDayOfMonth, lastDayOfMonth, localDateAt, monthOf, previousMonth } from '../domain/time.js';
import { CARE_ROLES } from './access-policy.js';
import type { RequestContext } from './actor.js';
import { audited } from './audited.js';
import { forbidden } from './errors.js';
import type { OverviewPatient, OverviewProcedure, PatientOverviewData } from './patient-overview-ports.js';
import type { ReliefStore, StoreTx } from './ports.js';
import { SUMMARY_CONFIG } from './summaries.js';

export const OVERVIEW_SORTS = ['flags', 'name', 'procedure'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

export interface OverviewFilter {
  siteId?: string;
  /** Part of the name or id. */
  search?: string;
  /** Patients with a live procedure of this type. */
  procedureType?: string;
  /** Patients in one of these statuses. */
  status?: readonly PatientStatus[];
  /** Patients with at least one of these flags. */
  flag?: readonly PatientFlagName[];
  /** `flags`: most flags first, then by name; `name`; `procedure`: latest procedure first. */
  sort?: OverviewSort;
  limit: number;
  offset: number;
}

/** One row of the clinician's patient list. */
export interface PatientOverviewRow {
  patientId: string;
  displayName: string;
  siteId: string;
  birthYear: number | null;
  sex: string | null;
  conditions: string[];
  /** The patient's local date the flags are computed for. */
  today: string;
  latestProcedure: { id: string; date: string; type: string; siteId: string | null } | null;
  procedureCount: number;
  status: PatientStatus;
  /** In the order of PATIENT_FLAGS. */
  flags: PatientFlag[];
}

export interface PatientOverviewPage {
  items: PatientOverviewRow[];
  /** Patients matching the filter, over every page. */
  total: number;
  nextOffset: number | null;
}

/** Months read before the current one: the overuse flag's recent months and the run before them that its level needs. */
const OVERUSE_LOOKBACK_MONTHS = RECENT_OVERUSE_MONTHS - 1 + SUMMARY_CONFIG.sustainedMonths - 1;

function monthsBack(month: string, n: number): string {
  let m = month;
  for (let i = 0; i < n; i++) m = previousMonth(m);
  return m;
}

/** Rows of one patient, by patient id. */
function byPatient<T extends { patientId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.patientId);
    if (list) list.push(r);
    else out.set(r.patientId, [r]);
  }
  return out;
}

/**
 * The clinician's patient list with its flags (domain/patient-flags.ts), computed from the stored
 * summaries, procedure and questionnaire columns and the dates of the last weeks' diary entries
 * (never a rescan of the diaries), for every patient of the caller's sites, so that the list can
 * be filtered and ordered by flag before it is cut into pages.
 */
export class PatientOverviewService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
    private readonly flagConfig: PatientFlagConfig = DEFAULT_PATIENT_FLAG_CONFIG,
  ) {}

  /** Patients of the caller's sites (every site for an admin); each patient on the page gets an audit row. */
  async list(ctx: RequestContext, filter: OverviewFilter): Promise<PatientOverviewPage> {
    const target = { action: 'patient.overview', patientId: null, entityType: 'patient', entityId: null };
    if (!CARE_ROLES.has(ctx.actor.role)) {
      // Audited as a refusal, like every other denied request.
      await audited(this.store, this.clock, ctx, target, () => {
        throw forbidden('only clinicians and admins list patients');
      });
    }
    let siteIds: readonly string[] | undefined = ctx.actor.role === 'admin' ? undefined : ctx.actor.siteIds;
    if (filter.siteId !== undefined) {
      siteIds = siteIds === undefined || siteIds.includes(filter.siteId) ? [filter.siteId] : [];
    }
    const now = this.clock();
    // Every patient's local date is within a day of the UTC date.
    const utcToday = now.toISOString().slice(0, 10);
    // Read in a snapshot beside the writer; nothing is shown unless the audit rows are written.
    const { data, visitsBySite } = await this.store.snapshot(async (tx) => {
      const sites = siteIds ?? (await tx.listSites()).map((site) => site.id);
      const visitsBySite = new Map<string, readonly FollowUpVisit[]>();
      for (const siteId of sites) visitsBySite.set(siteId, await followUpVisits(tx, siteId));
      // The periods the sites' follow-up visits read, and no later ones.
      let maxPeriod = 0;
      for (const visits of visitsBySite.values()) {
        for (const v of visits) maxPeriod = Math.max(maxPeriod, v.diaryPeriods.to);
      }
      const data = await tx.patientOverviewData({
        siteIds,
        search: filter.search,
        monthsFrom: monthsBack(monthOf(addDays(utcToday, -1)), OVERUSE_LOOKBACK_MONTHS),
        maxPeriod,
        daysFrom: addDays(utcToday, -this.flagConfig.complianceDays),
        daysTo: addDays(utcToday, 1),
      });
      return { data, visitsBySite };
    });
    let rows = this.rows(data, visitsBySite, now);
    if (filter.procedureType !== undefined) {
      const withType = new Set(data.procedures.filter((p) => p.type === filter.procedureType).map((p) => p.patientId));
      rows = rows.filter((r) => withType.has(r.patientId));
    }
    if (filter.status !== undefined) {
      const wanted = new Set(filter.status);
      rows = rows.filter((r) => wanted.has(r.status));
    }
    if (filter.flag !== undefined) {
      const wanted = new Set<string>(filter.flag);
      rows = rows.filter((r) => r.flags.some((f) => wanted.has(f.flag)));
    }
    sortRows(rows, filter.sort ?? 'flags');
    const items = rows.slice(filter.offset, filter.offset + filter.limit);
    const page: PatientOverviewPage = {
      items,
      total: rows.length,
      nextOffset: filter.offset + items.length < rows.length ? filter.offset + items.length : null,
    };
    return audited(this.store, this.clock, ctx, target, () =>
      Promise.resolve({ result: page, disclosed: items.map((r) => r.patientId) }),
    );
  }

  private rows(
    data: PatientOverviewData,
    visitsBySite: ReadonlyMap<string, readonly FollowUpVisit[]>,
    now: Date,
  ): PatientOverviewRow[] {
    const procedures = byPatient(data.procedures);
    const periods = byPatient(data.periods);
    const months = byPatient(data.months);
    const questionnaires = byPatient(data.questionnaires);
    const spans = byPatient(data.diarySpans);
    return data.patients.map((patient) =>
      this.row(patient, localDateAt(now.getTime(), patient.timeZone), {
        visits: visitsBySite.get(patient.siteId) ?? DEFAULT_SITE_SETTINGS.followUp,
        procedures: procedures.get(patient.id) ?? [],
        periods: periods.get(patient.id) ?? [],
        months: months.get(patient.id) ?? [],
        questionnaires: questionnaires.get(patient.id) ?? [],
        spans: spans.get(patient.id) ?? [],
      }),
    );
  }

  private row(
    patient: OverviewPatient,
    today: string,
    own: {
      visits: readonly FollowUpVisit[];
      procedures: readonly OverviewProcedure[];
      periods: PatientOverviewData['periods'];
      months: PatientOverviewData['months'];
      questionnaires: PatientOverviewData['questionnaires'];
      spans: PatientOverviewData['diarySpans'];
    },
  ): PatientOverviewRow {
    const cfg = SUMMARY_CONFIG;
    const countsByAnchor = new Map<string, Map<number, PeriodCounts>>();
    for (const p of own.periods) {
      let m = countsByAnchor.get(p.anchorDate);
      if (!m) countsByAnchor.set(p.anchorDate, (m = new Map()));
      m.set(p.periodIndex, p.counts);
    }
    const schedules: (ProcedureSchedule & { counts: Map<number, PeriodCounts> })[] = own.procedures.map((p) => {
      const counts = countsByAnchor.get(p.date) ?? new Map<number, PeriodCounts>();
      return {
        procedureId: p.id,
        procedureDate: p.date,
        counts,
        visits: followUpSchedule({
          procedureDate: p.date,
          visits: own.visits,
          today,
          questionnaires: own.questionnaires,
          diary: diaryStateFromCounts(p.date, today, counts, cfg),
        }),
      };
    });

    const flags: PatientFlag[] = [];
    const overdue = followUpOverdueFlag(schedules, today);
    if (overdue) flags.push(overdue);

    const monthSummaries: MonthSummary[] = own.months.map((m) => ({
      month: m.month,
      ...summaryFromCounts(m.counts, firstDayOfMonth(m.month), lastDayOfMonth(m.month), today, cfg),
    }));
    const overuse = medicationOveruseFlag(monthSummaries, today, cfg);
    if (overuse) flags.push(overuse);

    // The latest procedure that has happened: its outcome is the one the patient lives with now.
    const done = schedules.filter((s) => s.procedureDate <= today);
    const lastDone = done[done.length - 1];
    if (lastDone) {
      const outcome = procedureOutcome({
        procedureDate: lastDone.procedureDate,
        today,
        counts: lastDone.counts,
        visits: own.visits,
        // Worsening is read from the diary alone.
        questionnaires: [],
        cfg,
        rc: DEFAULT_REGISTRY_OUTCOME_CONFIG,
      });
      const worse = worseningFlag(lastDone.procedureId, outcome);
      if (worse) flags.push(worse);
    }

    const window = complianceWindow(today, this.flagConfig);
    const recorded = recordedDaysIn(own.spans, window.from, window.to);
    const compliance = lowComplianceFlag(recorded, today, cfg, this.flagConfig);
    if (compliance) flags.push(compliance);

    const latest = own.procedures[own.procedures.length - 1];
    return {
      patientId: patient.id,
      displayName: patient.displayName,
      siteId: patient.siteId,
      birthYear: patient.birthYear,
      sex: patient.sex,
      conditions: patient.conditions,
      today,
      latestProcedure: latest ? { id: latest.id, date: latest.date, type: latest.type, siteId: latest.siteId } : null,
      procedureCount: own.procedures.length,
      status: patientStatus(schedules[schedules.length - 1] ?? null, today),
      flags,
    };
  }
}

/** The site's follow-up schedule; the defaults when it has none (or none that still validates), as outcomes read it. */
async function followUpVisits(tx: StoreTx, siteId: string): Promise<readonly FollowUpVisit[]> {
  const stored = await tx.getSiteSettings(siteId);
  const parsed = stored ? siteSettingsSchema.safeParse(stored.body) : null;
  return parsed?.success ? parsed.data.followUp : DEFAULT_SITE_SETTINGS.followUp;
}

function sortRows(rows: PatientOverviewRow[], sort: OverviewSort): void {
  const byName = (a: PatientOverviewRow, b: PatientOverviewRow) =>
    a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : a.patientId < b.patientId ? -1 : 1;
  if (sort === 'flags') rows.sort((a, b) => b.flags.length - a.flags.length || byName(a, b));
  else if (sort === 'procedure') {
    const date = (r: PatientOverviewRow) => r.latestProcedure?.date ?? '';
    rows.sort((a, b) => (date(a) === date(b) ? byName(a, b) : date(a) < date(b) ? 1 : -1));
  } else rows.sort(byName);
}
