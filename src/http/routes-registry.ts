import { z } from 'zod';
import { localDateSchema } from '../domain/primitives.js';
import { candidacyAssessmentSchema } from '../domain/registry.js';
import { siteSettingsSchema } from '../domain/site-settings.js';
import { RECORD_KINDS, type RecordKind } from '../services/registry-model.js';
import { RECORD_BODY_SCHEMAS } from '../services/registry-service.js';
import { idSchema } from '../services/schemas.js';
import { written } from './replies.js';
import { route, type RouteSpec } from './route-spec.js';

export const RECORD_PATHS: Record<RecordKind, string> = {
  procedure: 'procedures',
  treatment: 'treatments',
  'adverse-event': 'adverse-events',
};

const patientParams = z.object({ patientId: idSchema }).strict();
const recordParams = z.object({ patientId: idSchema, id: idSchema }).strict();
const siteParams = z.object({ siteId: idSchema }).strict();
const candidacyQuery = z
  .object({
    plannedDate: localDateSchema.optional().describe("the planned procedure date; the assessment's when absent"),
  })
  .strict();

function recordRoutes(kind: RecordKind): RouteSpec[] {
  const path = `/patients/:patientId/${RECORD_PATHS[kind]}`;
  return [
    route({
      method: 'GET',
      url: path,
      summary: `The patient’s ${kind} records, by date`,
      tag: 'registry',
      access: 'patient-data',
      params: patientParams,
      success: [200],
      handle: async (h) => ({ items: await h.services.registry.list(h.ctx, kind, h.params.patientId) }),
    }),
    route({
      method: 'GET',
      url: `${path}/:id`,
      summary: `One ${kind} record`,
      tag: 'registry',
      access: 'patient-data',
      params: recordParams,
      success: [200],
      async handle(h) {
        const record = await h.services.registry.get(h.ctx, kind, h.params.patientId, h.params.id);
        h.reply.header('etag', `"${record.version}"`);
        return record;
      },
    }),
    route({
      method: 'PUT',
      url: `${path}/:id`,
      summary: `Create or replace a ${kind} record under a client-chosen id (care team; idempotent; If-Match for changes)`,
      tag: 'registry',
      access: 'care',
      params: recordParams,
      body: RECORD_BODY_SCHEMAS[kind],
      ifMatch: true,
      success: [200, 201],
      handle: async (h) =>
        written(h, await h.services.registry.put(h.ctx, kind, h.params.patientId, h.params.id, h.body, h.ifMatch)),
    }),
    route({
      method: 'DELETE',
      url: `${path}/:id`,
      summary:
        kind === 'procedure'
          ? 'Delete a procedure (kept as deleted; refused while adverse events point to it)'
          : `Delete a ${kind} record (kept as deleted for the audit trail; repeating it is a no-op)`,
      tag: 'registry',
      access: 'care',
      params: recordParams,
      ifMatch: true,
      success: [204],
      async handle(h) {
        await h.services.registry.delete(h.ctx, kind, h.params.patientId, h.params.id, h.ifMatch);
        h.reply.code(204);
        return undefined;
      },
    }),
  ];
}

const candidacyRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/patients/:patientId/candidacy-assessment',
    summary: 'The clinician’s candidacy assessment (404 until one is written)',
    tag: 'registry',
    access: 'patient-data',
    params: patientParams,
    success: [200],
    async handle(h) {
      const assessment = await h.services.candidacy.getAssessment(h.ctx, h.params.patientId);
      h.reply.header('etag', `"${assessment.version}"`);
      return assessment;
    },
  }),
  route({
    method: 'PUT',
    url: '/patients/:patientId/candidacy-assessment',
    summary: 'Write the candidacy assessment (care team; idempotent; If-Match for changes)',
    tag: 'registry',
    access: 'care',
    params: patientParams,
    body: candidacyAssessmentSchema,
    ifMatch: true,
    success: [200, 201],
    handle: async (h) =>
      written(h, await h.services.candidacy.putAssessment(h.ctx, h.params.patientId, h.body, h.ifMatch)),
  }),
  route({
    method: 'GET',
    url: '/patients/:patientId/candidacy',
    summary: 'The candidacy checklist: each item met, not met or unknown, with its evidence (no verdict)',
    tag: 'registry',
    access: 'patient-data',
    params: patientParams,
    query: candidacyQuery,
    success: [200],
    handle: (h) => h.services.candidacy.checklist(h.ctx, h.params.patientId, h.query),
  }),
];

const siteSettingsRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/sites/:siteId/settings',
    summary: 'A site’s follow-up schedule, contraindications and candidacy thresholds (defaults: version 0)',
    tag: 'registry',
    access: 'care',
    params: siteParams,
    success: [200],
    async handle(h) {
      const settings = await h.services.siteSettings.get(h.ctx, h.params.siteId);
      h.reply.header('etag', `"${settings.version}"`);
      return settings;
    },
  }),
  route({
    method: 'PUT',
    url: '/sites/:siteId/settings',
    summary: 'Replace a site’s settings (admin; idempotent; If-Match for changes)',
    tag: 'registry',
    access: 'admin',
    params: siteParams,
    body: siteSettingsSchema,
    ifMatch: true,
    success: [200, 201],
    handle: async (h) => written(h, await h.services.siteSettings.put(h.ctx, h.params.siteId, h.body, h.ifMatch)),
  }),
];

/** Procedures, treatments, adverse events, candidacy, follow-up and outcomes of one patient. */
export const registryRoutes: RouteSpec[] = [
  ...RECORD_KINDS.flatMap(recordRoutes),
  ...candidacyRoutes,
  ...siteSettingsRoutes,
];
