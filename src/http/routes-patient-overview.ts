import { z } from 'zod';
import { PATIENT_FLAGS, PATIENT_STATUSES } from '../domain/patient-flags.js';
import { PROCEDURE_TYPES } from '../domain/registry.js';
import { OVERVIEW_SORTS } from '../services/patient-overview-service.js';
import { idSchema } from '../services/schemas.js';
import { route, type RouteSpec } from './route-spec.js';

/** `name=a&name=b` or `name=a,b`: one or more of `values`. */
function listOf<T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(z.array(z.enum(values)).min(1))
    .describe(`${what}: ${values.join(', ')}; repeat the parameter or separate with commas`);
}

const overviewQuery = z
  .object({
    siteId: idSchema.optional(),
    q: z.string().trim().min(1).max(100).optional().describe('part of the name or id'),
    procedureType: z.enum(PROCEDURE_TYPES).optional().describe('patients with a procedure of this type'),
    status: listOf(PATIENT_STATUSES, 'patients in any of these statuses').optional(),
    flag: listOf(PATIENT_FLAGS, 'patients with at least one of these flags').optional(),
    sort: z
      .enum(OVERVIEW_SORTS)
      .default('flags')
      .describe('flags: most flags first, then by name (the default); name; procedure: latest procedure first'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** The clinician's patient list with its flags. */
export const patientOverviewRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/patient-overview',
    summary:
      'Patients of the caller’s sites (every site for an admin) with their latest procedure, status and flags ' +
      '(follow-up overdue, medication overuse, worsening after a procedure, diary compliance low) and the ' +
      'numbers behind each, from the stored summaries; filtered, ordered and a page at a time',
    tag: 'patients',
    access: 'care',
    query: overviewQuery,
    success: [200],
    handle: (h) => {
      const { q, ...rest } = h.query;
      return h.services.patientOverview.list(h.ctx, { ...rest, search: q });
    },
  }),
];
