import { z } from 'zod';
import { patientPreferencesSchema } from '../domain/patient-preferences.js';
import { idSchema } from '../services/schemas.js';
import { written } from './replies.js';
import { route, type RouteSpec } from './route-spec.js';

const patientParams = z.object({ patientId: idSchema }).strict();

/** A patient's diary preferences: the check-in's factors, intensity scale, usual medications. */
export const preferencesRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/patients/:patientId/preferences',
    summary:
      'The patient’s diary preferences: daily factors, intensity scale, check-in questions, usual ' +
      'medications (defaults: version 0)',
    tag: 'diary',
    access: 'patient-data',
    params: patientParams,
    success: [200],
    async handle(h) {
      const preferences = await h.services.preferences.get(h.ctx, h.params.patientId);
      h.reply.header('etag', `"${preferences.version}"`);
      return preferences;
    },
  }),
  route({
    method: 'PUT',
    url: '/patients/:patientId/preferences',
    summary: 'Replace the patient’s diary preferences (idempotent; If-Match for changes)',
    tag: 'diary',
    access: 'patient-data',
    params: patientParams,
    body: patientPreferencesSchema,
    ifMatch: true,
    success: [200, 201],
    handle: async (h) => written(h, await h.services.preferences.put(h.ctx, h.params.patientId, h.body, h.ifMatch)),
  }),
];
