import { z } from 'zod';
import { INTENSITY_LEVELS } from '../domain/intensity.js';
import { ACUTE_MEDICATION_CLASSES } from '../domain/medications.js';
import { localDateSchema } from '../domain/primitives.js';
import { daysBetween } from '../domain/time.js';
import { idSchema } from '../services/schemas.js';
import { route, type RouteSpec } from './route-spec.js';

/** The longest range one request may ask for: a year, leap day included. */
export const MAX_DAYS_SPAN = 366;

const patientParams = z.object({ patientId: idSchema }).strict();
const daysQuery = z
  .object({
    from: localDateSchema.describe('first local date, inclusive'),
    to: localDateSchema.describe(`last local date, inclusive (at most ${MAX_DAYS_SPAN} days from \`from\`)`),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (daysBetween(q.from, q.to) + 1 > MAX_DAYS_SPAN)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_DAYS_SPAN} days` });
  });

const score = z.number().min(0).max(10);
const day = z
  .strictObject({
    date: z.string().describe('a local date, YYYY-MM-DD'),
    recorded: z
      .boolean()
      .describe('the patient said something about the day; false is "not recorded", not "no headache"'),
    headache: z.boolean(),
    migraine: z.boolean().nullable().describe('a migraine day; null when the diary cannot decide (or not recorded)'),
    peakIntensity: score.nullable().describe('highest 0–10 rating recorded for the day'),
    intensityLevel: z
      .enum(INTENSITY_LEVELS)
      .nullable()
      .describe('highest level of the day’s attacks and daily headache; none on a recorded day without headache'),
    acuteMedication: z.boolean(),
    medicationClasses: z.array(z.enum(ACUTE_MEDICATION_CLASSES)),
    aura: z.boolean(),
    pain: score.nullable().describe('0–10 neuropathic pain rating of the day'),
    confirmedHeadacheFree: z.boolean(),
    attackIds: z.array(z.string()).describe('attacks that cover the day'),
  })
  .describe('one local day');

export const daysResponseSchema = z.strictObject({ items: z.array(day).describe('every day from `from` to `to`') });

/** The diary day by day, for calendars. */
export const dayRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/patients/:patientId/days',
    summary:
      'Each local day from `from` to `to` (at most 366 days): recorded, headache, migraine, intensity, ' +
      'acute medication, aura, pain (the rules of the analysis)',
    tag: 'diary',
    access: 'patient-data',
    params: patientParams,
    query: daysQuery,
    success: [200],
    response: daysResponseSchema,
    handle: async (h) => ({ items: await h.services.diary.days(h.ctx, h.params.patientId, h.query) }),
  }),
];
