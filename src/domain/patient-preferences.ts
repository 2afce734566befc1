import { z } from 'zod';
import { CONDITIONS } from './diary.js';
import { acuteMedicationClassSchema } from './medications.js';

/**
 * What a patient chose for their diary: the factors the daily check-in asks about, how attack
 * intensity is entered, whether the check-in asks about a preventive and neuropathic pain, and
 * the acute medications they usually take (logged with one tap).
 */

/** The factors a patient may choose to record each day. */
export const DAILY_FACTORS = [
  'stress',
  'sleep',
  'menstruation',
  'foods',
  'caffeine',
  'alcohol',
  'light',
  'noise',
  'smells',
  'weather',
] as const;
export type DailyFactor = (typeof DAILY_FACTORS)[number];

/**
 * The name each factor is written under in a daily record's `factors`, and its kind, so that the
 * personal trigger analysis (docs/clinical-rules.md, "Personal trigger analysis") reads it as
 * meant: an ordinal 0–3 is exposed above 0; "sleep hours" is a number compared with the patient's
 * own median (±1.5 h); yes/no is exposed when yes. Menstruation has its own field
 * (`menstruation`, the flow); foods are recorded yes/no under each food's own name.
 */
export const FACTOR_RECORDING = {
  stress: { key: 'stress', kind: 'ordinal' },
  sleep: { key: 'sleep hours', kind: 'hours' },
  caffeine: { key: 'caffeine', kind: 'yes-no' },
  alcohol: { key: 'alcohol', kind: 'yes-no' },
  light: { key: 'bright light', kind: 'yes-no' },
  noise: { key: 'noise', kind: 'yes-no' },
  smells: { key: 'strong smells', kind: 'yes-no' },
  weather: { key: 'weather change', kind: 'yes-no' },
} as const satisfies Record<Exclude<DailyFactor, 'menstruation' | 'foods'>, { key: string; kind: string }>;

/** The factor key of the foods question when the patient named no food. */
export const TRIGGER_FOODS_KEY = 'trigger foods';

const RESERVED_FACTOR_KEYS: ReadonlySet<string> = new Set([
  ...Object.values(FACTOR_RECORDING).map((f) => f.key),
  TRIGGER_FOODS_KEY,
]);

/** The conditions that make the check-in ask for 0–10 neuropathic pain. */
export const NEUROPATHIC_CONDITIONS: ReadonlySet<(typeof CONDITIONS)[number]> = new Set(
  CONDITIONS.filter((c) => c !== 'migraine'),
);

export const usualMedicationSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    class: acuteMedicationClassSchema,
    doseMg: z.number().positive().max(10_000).optional(),
  })
  .strict();
export type UsualMedication = z.infer<typeof usualMedicationSchema>;

function unique<T>(label: string) {
  return (values: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    values.forEach((v, i) => {
      const key = String(v).toLowerCase();
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: [i], message: `${label} "${String(v)}" is listed twice` });
      seen.add(key);
    });
  };
}

export const patientPreferencesSchema = z
  .object({
    factors: z.array(z.enum(DAILY_FACTORS)).max(DAILY_FACTORS.length).superRefine(unique('factor')),
    foods: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(40)
          .refine((f) => !RESERVED_FACTOR_KEYS.has(f.toLowerCase()), 'is the name of another factor'),
      )
      .max(12)
      .superRefine(unique('food'))
      .describe('foods asked about yes/no when "foods" is a chosen factor'),
    intensityScale: z.enum(['levels', 'numbers']).describe('mild/moderate/severe, or 0–10'),
    askPreventive: z.boolean().describe('the check-in asks whether the preventive was taken'),
    askNeuropathicPain: z.boolean().describe('the check-in asks for 0–10 neuropathic pain'),
    usualMedications: z
      .array(usualMedicationSchema)
      .max(8)
      .superRefine((meds, ctx) =>
        unique<string>('medication')(
          meds.map((m) => `${m.name} ${m.doseMg ?? ''}`.trim()),
          ctx,
        ),
      )
      .describe('acute medications offered for one-tap logging'),
  })
  .strict();
export type PatientPreferences = z.infer<typeof patientPreferencesSchema>;

/** A patient's preferences before they choose any: neuropathic pain is asked when a condition calls for it. */
export function defaultPreferences(conditions: readonly string[]): PatientPreferences {
  return {
    factors: [],
    foods: [],
    intensityScale: 'levels',
    askPreventive: true,
    askNeuropathicPain: conditions.some((c) => NEUROPATHIC_CONDITIONS.has(c as (typeof CONDITIONS)[number])),
    usualMedications: [],
  };
}
