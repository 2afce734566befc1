import { randomInt } from 'node:crypto';
import { z } from 'zod';
import {
  buildCohort,
  cohortVisits,
  HEADACHE_TYPES,
  type CohortAdverseEvent,
  type CohortFilter,
} from '../domain/cohort.js';
import {
  COHORT_GROUP_BY,
  cohortStatistics,
  DEFAULT_COHORT_STATISTICS_CONFIG,
  DEFAULT_STATISTICS_WINDOW,
  type CohortStatisticsConfig,
  type CohortStatisticsReport,
} from '../domain/cohort-stats.js';
import { DEFAULT_CONFIG } from '../domain/config.js';
import { CONDITIONS } from '../domain/diary.js';
import { localDateSchema } from '../domain/primitives.js';
import {
  CLAVIEN_DINDO_GRADES,
  PROCEDURE_TYPES,
  type AdverseEventRelation,
  type ClavienDindoGrade,
} from '../domain/registry.js';
import { DEFAULT_SITE_SETTINGS } from '../domain/site-settings.js';
import type { RequestContext } from './actor.js';
import { audited } from './audited.js';
import type { CohortQuery } from './cohort-ports.js';
import { canonical } from './diary-service.js';
import { forbidden, InvalidInputError } from './errors.js';
import type { ReliefStore } from './ports.js';
import { idSchema } from './schemas.js';

/** A cohort filter as the API and the CLI pass it; every field is optional. */
export const cohortFilterSchema = z
  .object({
    procedureType: z.enum(PROCEDURE_TYPES).optional(),
    siteIds: z.array(idSchema).min(1).max(100).optional(),
    surgeon: z.string().trim().min(1).max(100).optional(),
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    condition: z.enum(CONDITIONS).optional(),
    headacheType: z.enum(HEADACHE_TYPES).optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    path: ['to'],
    message: 'must not be before from',
  });
export type CohortFilterInput = z.input<typeof cohortFilterSchema>;

/** The follow-up windows of the default schedule, by visit id: those a cohort reports. */
export const COHORT_WINDOW_IDS = cohortVisits(DEFAULT_SITE_SETTINGS.followUp).map((v) => v.id);

/** How the statistics are grouped and which window they compare; see src/domain/cohort-stats.ts. */
export const cohortStatisticsOptionsSchema = z
  .object({
    groupBy: z.enum(COHORT_GROUP_BY).default('none'),
    window: z.enum(COHORT_WINDOW_IDS).default(DEFAULT_STATISTICS_WINDOW),
  })
  .strict();

export interface CohortOptions {
  /** The day the cohort is computed on (YYYY-MM-DD); by default today in UTC. */
  today?: string;
  /** Groups of the durability curves (`none`, the default: the whole cohort). */
  groupBy?: string;
  /** Visit id of the window the comparisons, the regression and the funnels read (default m12). */
  window?: string;
}

const GRADES: ReadonlySet<string> = new Set(CLAVIEN_DINDO_GRADES);

/**
 * Researchers see the smallest cohorts not at all, and select procedure dates by whole years:
 * otherwise a filter narrowed to one day, one surgeon or a handful of patients would give back
 * the dates and people that de-identification removes (HIPAA Safe Harbor keeps years only,
 * 45 CFR 164.514(b)(2)(i)(C)). The minimum is Relief's configurable default, not a standard.
 */
export const MIN_RESEARCH_COHORT = 5;

function researcherDateIssues(filter: CohortFilter): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (filter.from !== undefined && !filter.from.endsWith('-01-01')) {
    issues.push({ path: 'filter.from', message: 'researchers select whole years: must be a 1 January (YYYY-01-01)' });
  }
  if (filter.to !== undefined && !filter.to.endsWith('-12-31')) {
    issues.push({ path: 'filter.to', message: 'researchers select whole years: must be a 31 December (YYYY-12-31)' });
  }
  return issues;
}
/** randomInt draws below 2^48 at most. */
const DRAWS = 2 ** 47;

/**
 * Cohorts across patients, always de-identified (see src/domain/cohort.ts). Admins see every
 * site; clinicians and researchers the procedures of their own sites' patients done at their own
 * sites; patients none. Each request is one audit row, 'cohort.read', naming the filter, written
 * before the report is returned. The report carries its statistics (src/domain/cohort-stats.ts),
 * grouped and compared as the options ask; researchers see groups and funnel units by the site
 * and surgeon codes the rows already show them.
 */
export class CohortService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
    private readonly minResearchCohort = MIN_RESEARCH_COHORT,
    private readonly statisticsConfig: CohortStatisticsConfig = DEFAULT_COHORT_STATISTICS_CONFIG,
  ) {}

  async cohort(ctx: RequestContext, input: unknown, options: CohortOptions = {}): Promise<CohortStatisticsReport> {
    const parsed = cohortFilterSchema.safeParse(input ?? {});
    const issues = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: ['filter', ...i.path.map(String)].join('.'), message: i.message }));
    const today = options.today ?? this.clock().toISOString().slice(0, 10);
    if (!localDateSchema.safeParse(today).success) issues.push({ path: 'today', message: 'must be a date YYYY-MM-DD' });
    const stats = cohortStatisticsOptionsSchema.safeParse({ groupBy: options.groupBy, window: options.window });
    if (!stats.success) issues.push(...stats.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    if (issues.length > 0 || !parsed.success || !stats.success) throw new InvalidInputError(issues);
    // Fields given as undefined are not part of the filter (nor of its audit text).
    const filter = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as CohortFilter;
    const target = { action: 'cohort.read', patientId: null, entityType: 'cohort', entityId: canonical(filter) };
    if (ctx.actor.role === 'patient') {
      // Audited as a refusal, like every other denied request.
      await audited(this.store, this.clock, ctx, target, () => {
        throw forbidden('cohorts are for clinicians, researchers and admins');
      });
    }
    if (ctx.actor.role === 'researcher') {
      const issues = researcherDateIssues(filter);
      if (issues.length > 0) throw new InvalidInputError(issues);
    }
    const visits = DEFAULT_SITE_SETTINGS.followUp;
    // Every period from the baseline on, not only those the windows read: durability follows a
    // responder until relapse or the last period that has ended, however long after the last window.
    const query: CohortQuery = { ...filter };
    // The query reads a consistent snapshot beside the writer instead of holding the write
    // transaction (it takes about a tenth of a second on 10,000 patients).
    const data = await this.store.snapshot(async (tx) => {
      if (ctx.actor.role !== 'admin') {
        const own = await tx.membershipsOf(ctx.actor.userId);
        query.patientSiteIds = own;
        query.siteIds = filter.siteIds ? filter.siteIds.filter((s) => own.includes(s)) : own;
      }
      return tx.cohortData(query);
    });
    const adverseEvents = data.adverseEvents
      .filter((e) => GRADES.has(e.grade))
      .map((e): CohortAdverseEvent => ({
        ...e,
        grade: e.grade as ClavienDindoGrade,
        relation: e.relation as AdverseEventRelation,
      }));
    const report = buildCohort({
      procedures: data.procedures,
      adverseEvents,
      patientProcedures: data.patientProcedures,
      filter,
      today,
      cfg: DEFAULT_CONFIG,
      visits,
      random: () => randomInt(DRAWS) / DRAWS,
    });
    // Nothing is disclosed unless the audit row is written.
    await audited(this.store, this.clock, ctx, target, () => {
      if (ctx.actor.role === 'researcher' && report.n > 0 && report.n < this.minResearchCohort) {
        throw forbidden(`fewer than ${this.minResearchCohort} procedures match: too few to show de-identified`);
      }
      return Promise.resolve({ result: undefined });
    });
    const statistics = cohortStatistics(report.patients, report.windows, {
      ...stats.data,
      config: this.statisticsConfig,
    });
    return { ...report, statistics };
  }
}
