import { z } from 'zod';
import { localDateSchema } from '../domain/primitives.js';
import { idSchema } from '../services/schemas.js';
import { route, type RouteSpec } from './route-spec.js';

const patientParams = z.object({ patientId: idSchema }).strict();
const procedureParams = z.object({ patientId: idSchema, procedureId: idSchema }).strict();
const outcomeQuery = z
  .object({
    today: localDateSchema.optional().describe("outcomes as of this date; the patient's local date when absent"),
  })
  .strict();

const DUE_STATUSES = ['due', 'overdue'] as const;
/** `status=due&status=overdue` or `status=due,overdue`. */
const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()))
  .pipe(z.array(z.enum(DUE_STATUSES)).min(1))
  .describe('due, overdue or both (the default): repeat the parameter or separate with commas');
const dueQuery = z.object({ siteId: idSchema.optional(), status: statusList.optional() }).strict();

/** Follow-up schedules, due lists and per-procedure outcomes. */
export const followUpRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/patients/:patientId/procedures/:procedureId/outcome',
    summary:
      'Outcomes of one procedure: baseline against each follow-up visit (MMD, responders, MHI, Guyuron), ' +
      'questionnaire change and durability',
    tag: 'registry',
    access: 'patient-data',
    params: procedureParams,
    query: outcomeQuery,
    success: [200],
    handle: (h) => h.services.outcomes.outcome(h.ctx, h.params.patientId, h.params.procedureId, h.query),
  }),
  route({
    method: 'GET',
    url: '/patients/:patientId/follow-up',
    summary: 'The follow-up schedule of each procedure: visits, windows, instruments done, pending or missing',
    tag: 'registry',
    access: 'patient-data',
    params: patientParams,
    success: [200],
    handle: (h) => h.services.outcomes.schedule(h.ctx, h.params.patientId),
  }),
  route({
    method: 'GET',
    url: '/follow-ups',
    summary: 'Follow-up visits due or overdue for patients of the caller’s sites (every site for an admin)',
    tag: 'registry',
    access: 'care',
    query: dueQuery,
    success: [200],
    handle: async (h) => ({ items: await h.services.outcomes.dueList(h.ctx, h.query) }),
  }),
];
