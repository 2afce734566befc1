import { z } from 'zod';

/**
 * What a site may configure: its follow-up schedule, its contraindication list and the candidacy
 * thresholds. Every default here is a documented, configurable choice (docs/clinical-rules.md),
 * not a published rule, unless its comment names a source.
 */

export const INSTRUMENTS = ['MIDAS', 'HIT-6', 'PGIC', 'DN4', 'diary'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export const followUpVisitSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be 1–32 lower-case letters, digits or "-"'),
    label: z.string().min(1).max(100),
    /** Calendar months after the procedure; 0 is the baseline, due on the procedure date. */
    months: z.number().int().min(0).max(240),
    /** The visit may happen from this many days before its due date… */
    windowBeforeDays: z.number().int().min(0).max(365),
    /** …to this many days after it; later, it is overdue. */
    windowAfterDays: z.number().int().min(0).max(365),
    /** The 28-day diary periods the visit's diary outcome is measured over (0 = the 28 days before the procedure). */
    diaryPeriods: z
      .object({ from: z.number().int().min(0).max(260), to: z.number().int().min(0).max(260) })
      .strict()
      .refine((p) => p.from <= p.to, { path: ['to'], message: 'must not be before from' }),
    instruments: z.array(z.enum(INSTRUMENTS)).min(1),
  })
  .strict();
export type FollowUpVisit = z.infer<typeof followUpVisitSchema>;

export const contraindicationSchema = z
  .object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/), label: z.string().min(1).max(200) })
  .strict();

export const candidacyThresholdsSchema = z
  .object({
    /** Preventive classes tried before surgery is considered (default 2; EHF 2019 counts ≥2 failed classes for CGRP antibodies). */
    minPreventiveClasses: z.number().int().min(0).max(10),
    /** Relief from a nerve block or botulinum toxin that confirms a trigger site (Guyuron: ≥50 %). */
    minBlockReliefPercent: z.number().min(0).max(100),
    /** Share of attacks that must name a trigger site for the diary to show it. */
    minSiteShare: z.number().min(0).max(1),
    /** Months of the medication-overuse check before the baseline's end. */
    overuseLookbackMonths: z.number().int().min(1).max(12),
  })
  .strict();
export type CandidacyThresholds = z.infer<typeof candidacyThresholdsSchema>;

export const siteSettingsSchema = z
  .object({
    followUp: z
      .array(followUpVisitSchema)
      .min(1)
      .superRefine((visits, ctx) => {
        const ids = new Set<string>();
        let baselines = 0;
        visits.forEach((v, i) => {
          if (ids.has(v.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate visit id "${v.id}"` });
          ids.add(v.id);
          // Period 0 is the 28 days before the procedure and periods 1… come after it: a baseline
          // reading a later period, or a follow-up reading period 0, would compare the wrong days.
          if (v.months === 0) {
            baselines++;
            if (baselines > 1)
              ctx.addIssue({ code: 'custom', path: [i, 'months'], message: 'only one baseline visit' });
            if (v.diaryPeriods.to !== 0) {
              const message = 'the baseline reads period 0, the 28 days before the procedure';
              ctx.addIssue({ code: 'custom', path: [i, 'diaryPeriods', 'to'], message });
            }
          } else if (v.diaryPeriods.from === 0) {
            const message = 'a follow-up visit reads periods after the procedure (1 or later)';
            ctx.addIssue({ code: 'custom', path: [i, 'diaryPeriods', 'from'], message });
          }
        });
      }),
    contraindications: z.array(contraindicationSchema).superRefine((list, ctx) => {
      // An id is one answer in the candidacy assessment: a second entry with it would be a second checklist item.
      const ids = new Set<string>();
      list.forEach((c, i) => {
        if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${c.id}"` });
        ids.add(c.id);
      });
    }),
    candidacy: candidacyThresholdsSchema,
  })
  .strict();
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

const ALL = ['MIDAS', 'HIT-6', 'PGIC', 'diary'] as const satisfies readonly Instrument[];

/**
 * The default schedule: a 28-day baseline diary before the procedure (IHS trial guidelines'
 * minimum, Tassorelli 2018; Guyuron used one month), then visits at 1, 3, 6, 12 and 24 months.
 * Each visit's diary outcome is the last whole 28-day period before its due date (period 13 ends
 * on day 363, the last before 12 months). MIDAS asks about 3 months, so it is not due at 1 month.
 */
export const DEFAULT_SITE_SETTINGS: SiteSettings = {
  followUp: [
    {
      id: 'baseline',
      label: 'Baseline',
      months: 0,
      windowBeforeDays: 28,
      windowAfterDays: 0,
      diaryPeriods: { from: 0, to: 0 },
      instruments: ['MIDAS', 'HIT-6', 'diary'],
    },
    {
      id: 'm1',
      label: '1 month',
      months: 1,
      windowBeforeDays: 7,
      windowAfterDays: 14,
      diaryPeriods: { from: 1, to: 1 },
      instruments: ['HIT-6', 'PGIC', 'diary'],
    },
    {
      id: 'm3',
      label: '3 months',
      months: 3,
      windowBeforeDays: 14,
      windowAfterDays: 28,
      diaryPeriods: { from: 3, to: 3 },
      instruments: [...ALL],
    },
    {
      id: 'm6',
      label: '6 months',
      months: 6,
      windowBeforeDays: 28,
      windowAfterDays: 28,
      diaryPeriods: { from: 6, to: 6 },
      instruments: [...ALL],
    },
    {
      id: 'm12',
      label: '12 months',
      months: 12,
      windowBeforeDays: 30,
      windowAfterDays: 60,
      diaryPeriods: { from: 13, to: 13 },
      instruments: [...ALL],
    },
    {
      id: 'm24',
      label: '24 months',
      months: 24,
      windowBeforeDays: 60,
      windowAfterDays: 90,
      diaryPeriods: { from: 26, to: 26 },
      instruments: [...ALL],
    },
  ],
  contraindications: [
    { id: 'pregnancy', label: 'Pregnant or breastfeeding' },
    { id: 'active-infection', label: 'Active infection at a donor or recipient site' },
    { id: 'anticoagulation', label: 'Anticoagulant or antiplatelet treatment that cannot be paused' },
    { id: 'bleeding-disorder', label: 'Bleeding disorder' },
    { id: 'insufficient-donor-fat', label: 'Too little donor fat to harvest' },
    { id: 'malignancy-at-site', label: 'Active malignancy at a recipient site' },
  ],
  candidacy: { minPreventiveClasses: 2, minBlockReliefPercent: 50, minSiteShare: 0.2, overuseLookbackMonths: 3 },
};
