import { z } from 'zod';
import { HEADACHE_TYPES } from '../domain/cohort.js';
import { COHORT_GROUP_BY, DEFAULT_STATISTICS_WINDOW } from '../domain/cohort-stats.js';
import { CONDITIONS } from '../domain/diary.js';
import { localDateSchema } from '../domain/primitives.js';
import { PROCEDURE_TYPES } from '../domain/registry.js';
import { COHORT_WINDOW_IDS } from '../services/cohort-service.js';
import { idSchema } from '../services/schemas.js';
import { cohortResponseSchema } from './cohort-schema.js';
import { route, type RouteSpec } from './route-spec.js';

/** `siteId=a&siteId=b` or `siteId=a,b` (or both): one or more site ids. */
const siteIdList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
  .pipe(z.array(idSchema).min(1, 'name at least one site').max(100))
  .describe('sites where the procedure was done: repeat the parameter or separate ids with commas');

const cohortQuery = z
  .object({
    procedureType: z.enum(PROCEDURE_TYPES).optional(),
    siteId: siteIdList.optional(),
    surgeon: z.string().trim().min(1).max(100).optional().describe("the surgeon's code"),
    from: localDateSchema.optional().describe('procedures on or after this date'),
    to: localDateSchema.optional().describe('procedures on or before this date'),
    condition: z.enum(CONDITIONS).optional().describe('one of the patient’s conditions'),
    headacheType: z
      .enum(HEADACHE_TYPES)
      .optional()
      .describe('chronic: ≥15 headache days per 28 in the baseline period; episodic: fewer'),
    groupBy: z
      .enum(COHORT_GROUP_BY)
      .optional()
      .describe('durability curves per procedure type, decompression or not, site or surgeon (default none: all)'),
    window: z
      .enum(COHORT_WINDOW_IDS)
      .optional()
      .describe(
        `visit id of the window that groups are compared at, response is regressed at and funnels show (default ${DEFAULT_STATISTICS_WINDOW})`,
      ),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    path: ['to'],
    message: 'must not be before from',
  });

/** Cohorts across patients, always de-identified. */
export const cohortRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/cohort',
    summary:
      'De-identified cohort of procedures: per follow-up window n, n with sufficient diary, MMD change, ' +
      'responders and complications by grade; one row per procedure; statistics: responder rates, change, ' +
      'durability, group comparisons, predictors of response and funnels (admins: every site; others: their sites)',
    tag: 'registry',
    access: 'registry',
    query: cohortQuery,
    success: [200],
    response: cohortResponseSchema,
    handle: (h) => {
      const { siteId, groupBy, window, ...rest } = h.query;
      return h.services.cohort.cohort(
        h.ctx,
        { ...rest, ...(siteId !== undefined && { siteIds: siteId }) },
        { groupBy, window },
      );
    },
  }),
];
