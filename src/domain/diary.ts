import { z } from 'zod';
import { intensityLevelSchema } from './intensity.js';
import { acuteMedicationClassSchema, MEDICATION_EFFECTS } from './medications.js';
import { instantSchema, localDateSchema, timeZoneSchema } from './primitives.js';
import { questionnaireResponseSchema } from './questionnaires.js';

/**
 * The diary model: a patient, their attacks and their daily records. These schemas validate
 * every diary that enters Relief (files, and later the API) and generate the JSON Schema in
 * schema/diary.schema.json.
 */

const nrsSchema = z.number().min(0).max(10).describe('0–10 numeric rating scale');

export const CONDITIONS = [
  'migraine',
  'post-surgical-neuropathic-pain',
  'post-mastectomy-pain',
  'diabetic-neuropathy',
  'complex-regional-pain-syndrome',
  'occipital-neuralgia',
  'other-neuropathic-pain',
] as const;

export const patientSchema = z
  .object({
    id: z.string().min(1),
    birthYear: z.number().int().min(1900).max(2100).optional(),
    sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
    timeZone: timeZoneSchema,
    conditions: z.array(z.enum(CONDITIONS)).default(['migraine']),
  })
  .strict();
export type Patient = z.infer<typeof patientSchema>;

export const medicationIntakeSchema = z
  .object({
    name: z.string().min(1),
    class: acuteMedicationClassSchema,
    doseMg: z.number().positive().optional(),
    takenAt: instantSchema.optional().describe('when taken; the day of the entry when absent'),
    effect: z.enum(MEDICATION_EFFECTS).optional(),
  })
  .strict();
export type MedicationIntake = z.infer<typeof medicationIntakeSchema>;

/** ICHD-3 1.2 B aura symptom types. */
export const AURA_TYPES = ['visual', 'sensory', 'speech', 'motor', 'brainstem', 'retinal'] as const;
export type AuraType = (typeof AURA_TYPES)[number];

export const auraSymptomSchema = z
  .object({
    type: z.enum(AURA_TYPES),
    onset: instantSchema.optional(),
    durationMinutes: z.number().nonnegative().optional(),
    spreadGradually: z.boolean().optional().describe('spread gradually over at least 5 minutes'),
    unilateral: z.boolean().optional(),
    fullyReversible: z.boolean().optional().describe('false records a deficit that persisted'),
  })
  .strict();
export type AuraSymptom = z.infer<typeof auraSymptomSchema>;

export const TRIGGER_SITES = ['frontal', 'temporal', 'auriculotemporal', 'occipital', 'nasal', 'other'] as const;

export const PAIN_QUALITIES = [
  'pulsating',
  'pressing',
  'stabbing',
  'burning',
  'electric',
  'aching',
  'tingling',
  'other',
] as const;

export const attackSchema = z
  .object({
    id: z.string().min(1),
    start: instantSchema,
    end: instantSchema.optional().describe('absent while the attack is ongoing'),
    peakIntensity: nrsSchema.optional(),
    intensityLevel: intensityLevelSchema.optional(),
    side: z.enum(['left', 'right', 'bilateral']).optional(),
    sites: z.array(z.enum(TRIGGER_SITES)).optional().describe('migraine trigger sites'),
    bodyRegions: z.array(z.string().min(1)).optional().describe('free regions for neuropathic pain'),
    quality: z.array(z.enum(PAIN_QUALITIES)).optional(),
    aggravatedByActivity: z.boolean().optional(),
    nausea: z.boolean().optional(),
    vomiting: z.boolean().optional(),
    photophobia: z.boolean().optional(),
    phonophobia: z.boolean().optional(),
    osmophobia: z.boolean().optional(),
    aura: z.array(auraSymptomSchema).optional(),
    premonitory: z.array(z.string().min(1)).optional(),
    triggers: z.array(z.string().min(1)).optional(),
    medications: z.array(medicationIntakeSchema).optional(),
    activitiesAffected: z.array(z.string().min(1)).optional(),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.end !== undefined && Date.parse(a.end) < Date.parse(a.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
    }
  });
export type Attack = z.infer<typeof attackSchema>;

export const MENSTRUATION_FLOWS = ['none', 'spotting', 'light', 'medium', 'heavy'] as const;

/** A factor exposure: yes/no, an ordinal 0–3 (0 = none) or a number such as sleep hours. */
export const factorValueSchema = z.union([z.boolean(), z.number()]);

export const dailyRecordSchema = z
  .object({
    date: localDateSchema,
    noHeadache: z.boolean().optional().describe('the patient confirmed a headache-free day'),
    headache: z
      .object({
        peakIntensity: nrsSchema.optional(),
        intensityLevel: intensityLevelSchema.optional(),
        hours: z.number().min(0).max(24).optional(),
      })
      .strict()
      .optional()
      .describe('a headache summarised by day, for diaries that do not log attacks'),
    aura: z.boolean().optional(),
    nausea: z.boolean().optional(),
    factors: z.record(z.string().min(1), factorValueSchema).optional(),
    menstruation: z.enum(MENSTRUATION_FLOWS).optional(),
    preventiveTaken: z.boolean().optional(),
    pain: nrsSchema.optional().describe('0–10 neuropathic pain'),
    medications: z.array(medicationIntakeSchema).optional(),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.noHeadache === true && r.headache !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['noHeadache'],
        message: 'cannot confirm a headache-free day that also records a headache',
      });
    }
  });
export type DailyRecord = z.infer<typeof dailyRecordSchema>;

export const diarySchema = z
  .object({
    format: z.literal('relief-diary'),
    version: z.literal(1),
    patient: patientSchema,
    referenceDate: localDateSchema
      .optional()
      .describe('anchor of 28-day periods and outcomes, e.g. the procedure date'),
    attacks: z.array(attackSchema).default([]),
    dailyRecords: z.array(dailyRecordSchema).default([]),
    questionnaires: z.array(questionnaireResponseSchema).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const attackIds = new Set<string>();
    d.attacks.forEach((a, i) => {
      if (attackIds.has(a.id)) {
        ctx.addIssue({ code: 'custom', path: ['attacks', i, 'id'], message: `duplicate attack id "${a.id}"` });
      }
      attackIds.add(a.id);
    });
    const dates = new Set<string>();
    d.dailyRecords.forEach((r, i) => {
      if (dates.has(r.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dailyRecords', i, 'date'],
          message: `a second daily record for ${r.date}`,
        });
      }
      dates.add(r.date);
    });
  });
export type Diary = z.infer<typeof diarySchema>;
export type DiaryInput = z.input<typeof diarySchema>;
