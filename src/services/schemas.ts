import { z } from 'zod';
import { attackSchema, CONDITIONS, dailyRecordSchema, medicationIntakeSchema } from '../domain/diary.js';
import { instantSchema, localDateSchema, timeZoneSchema } from '../domain/primitives.js';
import { questionnaireResponseSchema } from '../domain/questionnaires.js';
import type { EntryKind } from './model.js';
import { ROLES } from './model.js';

/** Inputs of the use cases, shared by the HTTP API and the CLI. */

/** Ids that clients generate (entries, patients, sites) are UUIDs or short slugs. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, ".", "_" or "-"')
  .describe('a client-chosen id, e.g. a UUID');

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._@-]{1,63}$/, 'must be 2–64 lower-case letters, digits, ".", "_", "@" or "-"');

export const loginInputSchema = z.object({ username: z.string().min(1), password: z.string().min(1) }).strict();

export const passwordChangeInputSchema = z
  .object({ currentPassword: z.string().min(1), newPassword: z.string() })
  .strict();

export const createUserInputSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().min(1).max(200),
    role: z.enum(ROLES),
    siteIds: z.array(idSchema).default([]).describe('sites a clinician or researcher belongs to'),
    patientId: idSchema.optional().describe('the patient record a patient login opens'),
    password: z.string().optional().describe('generated and returned once when absent'),
  })
  .strict();
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

export const updateUserInputSchema = z
  .object({
    displayName: z.string().min(1).max(200).optional(),
    disabled: z.boolean().optional(),
    siteIds: z.array(idSchema).optional(),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof updateUserInputSchema>;

export const siteInputSchema = z.object({ name: z.string().min(1).max(200) }).strict();
export type SiteInput = z.infer<typeof siteInputSchema>;

export const patientInputSchema = z
  .object({
    siteId: idSchema,
    displayName: z.string().min(1).max(200),
    birthYear: z.number().int().min(1900).max(2100).optional(),
    sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
    timeZone: timeZoneSchema,
    conditions: z.array(z.enum(CONDITIONS)).default(['migraine']),
    referenceDate: localDateSchema.optional().describe('anchor of 28-day periods, e.g. the procedure date'),
    careTeam: z.array(idSchema).default([]).describe('user ids of the clinicians caring for the patient'),
  })
  .strict();
export type PatientInput = z.infer<typeof patientInputSchema>;

export const tokenInputSchema = z.object({ name: z.string().min(1).max(100) }).strict();

/** A medication taken outside an attack record: the intake plus its day when no time is given. */
export const medicationEntrySchema = medicationIntakeSchema
  .extend({ date: localDateSchema.optional().describe('the day taken, when takenAt is absent') })
  .strict()
  .superRefine((m, ctx) => {
    if (m.date === undefined && m.takenAt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['takenAt'], message: 'give takenAt or date' });
    }
  });
export type MedicationEntry = z.infer<typeof medicationEntrySchema>;

export const ENTRY_BODY_SCHEMAS: Record<EntryKind, z.ZodType> = {
  attack: attackSchema,
  'daily-record': dailyRecordSchema,
  medication: medicationEntrySchema,
  questionnaire: questionnaireResponseSchema,
};

export const dateRangeQuerySchema = z
  .object({ from: localDateSchema.optional(), to: localDateSchema.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    path: ['to'],
    message: 'must not be before from',
  });

export const analysisQuerySchema = z
  .object({
    now: instantSchema.optional().describe('the moment of analysis; the server clock when absent'),
    referenceDate: localDateSchema.optional(),
    adjustForMenstruation: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('adjust the personal trigger analysis for perimenstrual days (default false)'),
  })
  .strict();
