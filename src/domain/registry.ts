import { z } from 'zod';
import { TRIGGER_SITES } from './diary.js';
import { localDateSchema } from './primitives.js';

/**
 * Registry records: the fat-transfer procedure, other treatments, adverse events and the
 * clinician's candidacy assessment. Vocabulary after clinical-reference §6 (Guyuron's trigger
 * sites; Coleman technique; Clavien–Dindo grading, Dindo et al., Ann Surg 2004;240:205).
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const notes = z.string().max(5000).optional();
const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;

/** Migraine trigger sites (Guyuron) and neuropathic pain sites where fat is placed. */
export const RECIPIENT_SITES = [
  ...TRIGGER_SITES.filter((s) => s !== 'other'),
  'scar',
  'breast',
  'chest-wall',
  'upper-limb',
  'lower-limb',
  'face',
  'other',
] as const;
export type RecipientSite = (typeof RECIPIENT_SITES)[number];

export const DONOR_SITES = ['abdomen', 'flank', 'thigh', 'knee', 'buttock', 'arm', 'other'] as const;
export const HARVEST_TECHNIQUES = ['syringe-coleman', 'power-assisted', 'water-jet', 'other'] as const;
export const PROCESSING_METHODS = ['centrifugation', 'decantation', 'washing-filtration', 'none'] as const;
export const ADJUNCT_PROCEDURES = ['nerve-decompression', 'muscle-resection', 'neurectomy'] as const;
export const ANAESTHESIA = ['local', 'local-with-sedation', 'regional', 'general'] as const;

export const PROCEDURE_TYPES = ['fat-transfer'] as const;

export const processingSchema = z
  .object({
    method: z.enum(PROCESSING_METHODS),
    centrifugeG: z.number().positive().max(10000).optional().describe('relative centrifugal force (× g)'),
    centrifugeMinutes: z.number().positive().max(60).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.method !== 'centrifugation' && (p.centrifugeG !== undefined || p.centrifugeMinutes !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['method'], message: 'g and minutes apply to centrifugation only' });
    }
  });

export const recipientSiteSchema = z
  .object({
    site: z.enum(RECIPIENT_SITES),
    side: z.enum(SIDES),
    volumeMl: z.number().positive().max(1000),
    detail: z.string().max(200).optional().describe('e.g. "left mastectomy scar", "greater occipital"'),
  })
  .strict();

export const procedureSchema = z
  .object({
    type: z.enum(PROCEDURE_TYPES).default('fat-transfer'),
    date: localDateSchema,
    surgeon: text(100).describe("the surgeon's code at the site"),
    siteId: text(64).describe('the site where it was done'),
    donorSites: z.array(z.enum(DONOR_SITES)).min(1),
    harvest: z
      .object({
        technique: z.enum(HARVEST_TECHNIQUES),
        cannulaGauge: z.number().int().min(8).max(25).optional(),
        cannulaDiameterMm: z.number().positive().max(10).optional(),
      })
      .strict(),
    processing: processingSchema,
    recipientSites: z.array(recipientSiteSchema).min(1),
    adjuncts: z.array(z.enum(ADJUNCT_PROCEDURES)).default([]),
    anaesthesia: z.enum(ANAESTHESIA),
    durationMinutes: z.number().int().positive().max(1440).optional(),
    notes,
  })
  .strict();
export type Procedure = z.infer<typeof procedureSchema>;

export const TREATMENT_TYPES = [
  'oral-preventive',
  'cgrp-antibody',
  'botulinum-toxin',
  'nerve-block',
  'nerve-decompression-surgery',
  'neuromodulation',
  'behavioural-therapy',
] as const;
export type TreatmentType = (typeof TREATMENT_TYPES)[number];

/**
 * Preventive classes, as candidacy counts them (EHF and AHS consensus statements count failed
 * preventive classes, not drugs).
 */
export const PREVENTIVE_CLASSES = [
  'beta-blocker',
  'anticonvulsant',
  'tricyclic',
  'snri',
  'calcium-channel-blocker',
  'angiotensin-blocker',
  'cgrp-antibody',
  'gepant',
  'botulinum-toxin',
  'other',
] as const;

const period = {
  start: localDateSchema,
  stop: localDateSchema.optional().describe('absent while ongoing'),
};
const percentRelief = z.number().min(0).max(100);

export const treatmentSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('oral-preventive'),
        drug: text(100),
        preventiveClass: z.enum(PREVENTIVE_CLASSES),
        doseMg: z.number().positive().max(10000).optional(),
        frequency: z.string().max(100).optional(),
        ...period,
        stopReason: z.enum(['ineffective', 'side-effects', 'completed', 'other']).optional(),
        notes,
      })
      .strict(),
    z
      .object({
        type: z.literal('cgrp-antibody'),
        drug: text(100),
        doseMg: z.number().positive().max(10000).optional(),
        ...period,
        stopReason: z.enum(['ineffective', 'side-effects', 'completed', 'other']).optional(),
        notes,
      })
      .strict(),
    z
      .object({
        type: z.literal('botulinum-toxin'),
        ...period,
        doseUnits: z.number().positive().max(1000),
        sites: z.array(z.enum(TRIGGER_SITES)).min(1),
        percentRelief: percentRelief.optional().describe('patient-reported relief at those sites'),
        notes,
      })
      .strict(),
    z
      .object({
        type: z.literal('nerve-block'),
        start: localDateSchema,
        site: z.enum(TRIGGER_SITES),
        side: z.enum(SIDES),
        agent: z.string().max(100).optional(),
        percentRelief: percentRelief.optional(),
        notes,
      })
      .strict(),
    z
      .object({
        type: z.literal('nerve-decompression-surgery'),
        start: localDateSchema,
        sites: z.array(z.enum(TRIGGER_SITES)).min(1),
        notes,
      })
      .strict(),
    z
      .object({
        type: z.literal('neuromodulation'),
        device: text(100),
        ...period,
        notes,
      })
      .strict(),
    z
      .object({
        type: z.literal('behavioural-therapy'),
        therapy: z.enum(['cbt', 'biofeedback', 'relaxation', 'mindfulness', 'other']),
        ...period,
        notes,
      })
      .strict(),
  ])
  .superRefine((t, ctx) => {
    if ('stop' in t && t.stop !== undefined && t.stop < t.start) {
      ctx.addIssue({ code: 'custom', path: ['stop'], message: 'must not be before start' });
    }
  });
export type Treatment = z.infer<typeof treatmentSchema>;

/** Clavien–Dindo grades (Dindo et al., Ann Surg 2004;240:205). */
export const CLAVIEN_DINDO_GRADES = ['I', 'II', 'IIIa', 'IIIb', 'IVa', 'IVb', 'V'] as const;
export type ClavienDindoGrade = (typeof CLAVIEN_DINDO_GRADES)[number];

export const ADVERSE_EVENT_RELATIONS = ['related', 'possibly-related', 'unrelated', 'unknown'] as const;
export type AdverseEventRelation = (typeof ADVERSE_EVENT_RELATIONS)[number];

export const adverseEventSchema = z
  .object({
    term: text(200).describe('e.g. "donor-site haematoma", "fat necrosis", "infection"'),
    procedureId: z.string().min(1).max(64).optional().describe('the procedure it followed'),
    onset: localDateSchema,
    resolved: localDateSchema.optional().describe('absent while unresolved'),
    grade: z.enum(CLAVIEN_DINDO_GRADES),
    relation: z.enum(ADVERSE_EVENT_RELATIONS),
    action: z.string().max(1000).optional().describe('treatment given or action taken'),
    notes,
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.resolved !== undefined && e.resolved < e.onset) {
      ctx.addIssue({ code: 'custom', path: ['resolved'], message: 'must not be before onset' });
    }
  });
export type AdverseEvent = z.infer<typeof adverseEventSchema>;

/** The clinician's part of the candidacy checklist; the rest comes from the diary and records. */
export const candidacyAssessmentSchema = z
  .object({
    diagnosis: z
      .object({
        confirmed: z.boolean(),
        code: z.string().max(20).optional().describe('ICHD-3 code, e.g. "1.3"'),
        confirmedOn: localDateSchema.optional(),
        notes,
      })
      .strict()
      .optional(),
    /** The treatment history in the registry is complete, so a missing class means "not tried". */
    treatmentHistoryComplete: z.boolean().optional(),
    medicationOveruseAddressed: z.boolean().optional().describe('withdrawal done or planned, by the clinician'),
    /** Answers to the site's contraindication list, by its ids: true = present. */
    contraindications: z.record(z.string().min(1).max(64), z.boolean()).default({}),
    plannedDate: localDateSchema.optional().describe('planned procedure date: the baseline ends the day before'),
    notes,
  })
  .strict();
export type CandidacyAssessment = z.infer<typeof candidacyAssessmentSchema>;
