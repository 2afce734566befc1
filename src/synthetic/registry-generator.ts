import type { CONDITIONS } from '../domain/diary.js';
import type { AdverseEvent, ClavienDindoGrade, Procedure, RecipientSite, Treatment } from '../domain/registry.js';
import { addDays } from '../domain/time.js';
import type { CohortPatient, SyntheticResponse } from './cohort-generator.js';
import { Rng } from './diary-generator.js';

/**
 * Registry records of a demo patient with a procedure date: the fat-transfer procedure, the
 * treatments tried before it (oral preventives, CGRP antibodies, botulinum toxin, nerve blocks)
 * and adverse events after it, linked to the procedure.
 *
 * SYNTHETIC DEMO VALUES ONLY. How often each treatment was tried, the relief patients report
 * from blocks and toxin, and above all how often complications of each Clavien–Dindo grade occur
 * are made-up numbers chosen to exercise the software: they are not an estimate of the safety or
 * effect of any treatment, and nothing computed from them may be quoted. How patients fare after
 * the procedure comes from their synthetic diaries (see cohort-generator.ts), not from here; the
 * relief reported from toxin and blocks before it is drawn higher for patients whose synthetic
 * course responds (`RELIEF_RANGES`), a made-up link so that a cohort's "who benefits" model has
 * something to find.
 *
 * Pure and seeded: the records depend only on the patient (their diary seed and profile), so a
 * second run writes the same records.
 */

export type DemoRecordKind = 'procedure' | 'treatment' | 'adverse-event';

/** One record as the registry API stores it: its kind, a stable id and the body. */
export interface DemoRecord {
  kind: DemoRecordKind;
  id: string;
  body: Record<string, unknown>;
}

export interface DemoRecordCounts {
  procedures: number;
  treatments: number;
  adverseEvents: number;
}

/** A stream of the patient's diary seed that the diary generator does not use. */
const REGISTRY_STREAM = 101;

type Condition = (typeof CONDITIONS)[number];

const PREVENTIVES = [
  { drug: 'propranolol', preventiveClass: 'beta-blocker', doseMg: 80 },
  { drug: 'metoprolol', preventiveClass: 'beta-blocker', doseMg: 100 },
  { drug: 'topiramate', preventiveClass: 'anticonvulsant', doseMg: 100 },
  { drug: 'valproate', preventiveClass: 'anticonvulsant', doseMg: 500 },
  { drug: 'amitriptyline', preventiveClass: 'tricyclic', doseMg: 25 },
  { drug: 'venlafaxine', preventiveClass: 'snri', doseMg: 75 },
  { drug: 'flunarizine', preventiveClass: 'calcium-channel-blocker', doseMg: 10 },
  { drug: 'candesartan', preventiveClass: 'angiotensin-blocker', doseMg: 16 },
] as const;
const CGRP_ANTIBODIES = [
  { drug: 'erenumab', doseMg: 140 },
  { drug: 'fremanezumab', doseMg: 225 },
  { drug: 'galcanezumab', doseMg: 120 },
] as const;
const MIGRAINE_RECIPIENTS: readonly { site: RecipientSite; detail: string }[] = [
  { site: 'frontal', detail: 'supraorbital and supratrochlear' },
  { site: 'temporal', detail: 'zygomaticotemporal' },
  { site: 'auriculotemporal', detail: 'auriculotemporal' },
  { site: 'occipital', detail: 'greater occipital' },
];
const NEUROPATHIC_RECIPIENTS: Partial<Record<Condition, { site: RecipientSite; detail: string }>> = {
  'post-mastectomy-pain': { site: 'chest-wall', detail: 'mastectomy scar' },
  'post-surgical-neuropathic-pain': { site: 'scar', detail: 'surgical scar' },
  'occipital-neuralgia': { site: 'occipital', detail: 'greater occipital' },
  'complex-regional-pain-syndrome': { site: 'upper-limb', detail: 'painful region' },
  'other-neuropathic-pain': { site: 'other', detail: 'painful region' },
};
const COMPLICATIONS: Record<ClavienDindoGrade, readonly { term: string; action?: string }[]> = {
  I: [
    { term: 'donor-site bruising' },
    { term: 'recipient-site swelling' },
    { term: 'transient paraesthesia at a recipient site' },
  ],
  II: [
    { term: 'cellulitis at the donor site', action: 'oral antibiotics' },
    { term: 'recipient-site infection', action: 'oral antibiotics' },
  ],
  IIIa: [{ term: 'donor-site seroma', action: 'aspiration under local anaesthesia' }],
  IIIb: [{ term: 'donor-site haematoma', action: 'evacuation under general anaesthesia' }],
  IVa: [],
  IVb: [],
  V: [],
};
const SIDES = ['left', 'right', 'bilateral'] as const;

/** Made-up ranges of % relief from botulinum toxin and nerve blocks, by synthetic course (see above). */
const RELIEF_RANGES: Record<SyntheticResponse, { toxin: [number, number]; block: [number, number] }> = {
  strong: { toxin: [30, 90], block: [40, 95] },
  relapse: { toxin: [30, 90], block: [40, 95] },
  partial: { toxin: [15, 80], block: [25, 90] },
  none: { toxin: [5, 65], block: [10, 75] },
};

const round = (x: number, step: number): number => Math.round(x / step) * step;

/**
 * The records of one demo patient; none for a patient without a procedure date. Nothing is dated
 * after `endDate`, the last diary day: a later event is left out, a later resolution left open.
 */
export function demoRecords(patient: CohortPatient, endDate: string): DemoRecord[] {
  const procedureDate = patient.profile.procedure?.date;
  if (procedureDate === undefined) return [];
  const reliefRange = RELIEF_RANGES[patient.profile.procedure!.response];
  const rng = Rng.stream(patient.profile.diarySeed, REGISTRY_STREAM);
  const { id: patientId, record } = patient;
  const migraine = record.conditions.includes('migraine');
  const neuropathic = record.conditions.find((c) => c !== 'migraine');

  // Every draw happens whatever the earlier ones gave, so a patient keeps the same records.
  const siteNumber = Number(/(\d+)$/.exec(record.siteId)?.[1] ?? '1');
  const surgeon = `S${2 * (siteNumber - 1) + rng.int(1, 2)}`;
  const donor = rng.pick(['abdomen', 'flank', 'thigh', 'abdomen'] as const);
  const powerAssisted = rng.chance(0.2);
  const gauge = rng.int(12, 16);
  const centrifuged = rng.chance(0.7);
  const adjunct = rng.chance(0.15);
  const sedation = rng.chance(0.3);
  const duration = rng.int(50, 130);
  const siteDraws = MIGRAINE_RECIPIENTS.map(() => rng.float());
  const sideDraws = MIGRAINE_RECIPIENTS.map(() => rng.pick(SIDES));
  const volumeDraws = MIGRAINE_RECIPIENTS.map(() => rng.uniform(1, 4));
  const neuropathicVolume = rng.uniform(20, 150);
  const preventiveCount = rng.int(1, 3);
  const preventiveOrder = PREVENTIVES.map(() => rng.float());
  const preventiveEnd = rng.int(150, 400);
  const preventiveGaps = [rng.int(14, 120), rng.int(14, 120), rng.int(14, 120)];
  const preventiveLengths = [rng.int(60, 240), rng.int(60, 240), rng.int(60, 240)];
  const preventiveSideEffects = [rng.chance(0.35), rng.chance(0.35), rng.chance(0.35)];
  const hadCgrp = rng.chance(0.4);
  const cgrp = rng.pick(CGRP_ANTIBODIES);
  const cgrpStart = rng.int(120, 400);
  const cgrpLength = rng.int(90, 300);
  const hadToxin = rng.chance(0.5);
  const toxinStart = rng.int(90, 300);
  const toxinRelief = round(rng.uniform(...reliefRange.toxin), 5);
  const hadBlock = rng.chance(0.6);
  const blockDaysBefore = rng.int(30, 120);
  const blockRelief = round(rng.uniform(...reliefRange.block), 5);
  const blockSide = rng.pick(SIDES);
  const gradeDraws = [rng.float(), rng.float(), rng.float()];
  const onsetDraws = [rng.int(1, 21), rng.int(2, 45), rng.int(3, 90)];
  const resolveDraws = [rng.int(3, 30), rng.int(3, 30), rng.int(3, 30)];
  const termDraws = [rng.float(), rng.float(), rng.float()];
  const relatedDraws = [rng.chance(0.8), rng.chance(0.8), rng.chance(0.8)];

  const chosenSites = MIGRAINE_RECIPIENTS.filter((_, i) => i === 0 || siteDraws[i]! < 0.5);
  const recipientSites: Procedure['recipientSites'] = [];
  if (migraine || !neuropathic) {
    chosenSites.forEach((s) => {
      const i = MIGRAINE_RECIPIENTS.indexOf(s);
      recipientSites.push({ ...s, side: sideDraws[i]!, volumeMl: round(volumeDraws[i]!, 0.5) });
    });
  }
  const neuropathicSite = neuropathic ? NEUROPATHIC_RECIPIENTS[neuropathic] : undefined;
  if (neuropathicSite && !recipientSites.some((s) => s.site === neuropathicSite.site)) {
    recipientSites.push({ ...neuropathicSite, side: sideDraws[0]!, volumeMl: round(neuropathicVolume, 5) });
  }

  const procedureId = `${patientId}-fat1`;
  const procedure: Procedure = {
    type: 'fat-transfer',
    date: procedureDate,
    surgeon,
    siteId: record.siteId,
    donorSites: [donor],
    harvest: powerAssisted
      ? { technique: 'power-assisted', cannulaDiameterMm: 3 }
      : { technique: 'syringe-coleman', cannulaGauge: gauge },
    // Coleman's technique: 3000 rpm for 3 minutes, about 1200 g.
    processing: centrifuged
      ? { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 }
      : { method: 'decantation' },
    recipientSites,
    adjuncts: adjunct && migraine ? ['nerve-decompression'] : [],
    anaesthesia: sedation ? 'local-with-sedation' : 'local',
    durationMinutes: duration,
  };
  const records: DemoRecord[] = [{ kind: 'procedure', id: procedureId, body: procedure }];

  const treatment = (n: number, body: Treatment) =>
    records.push({ kind: 'treatment', id: `${patientId}-tx${n}`, body });
  if (migraine) {
    const tried = [...PREVENTIVES]
      .map((p, i) => ({ p, order: preventiveOrder[i]! }))
      .sort((a, b) => a.order - b.order)
      .slice(0, preventiveCount);
    // One after another, going back in time from a few months before the procedure.
    let stop = addDays(procedureDate, -preventiveEnd);
    tried.forEach(({ p }, i) => {
      const start = addDays(stop, -preventiveLengths[i]!);
      treatment(tried.length - i, {
        type: 'oral-preventive',
        ...p,
        frequency: 'daily',
        start,
        stop,
        stopReason: preventiveSideEffects[i] ? 'side-effects' : 'ineffective',
      });
      stop = addDays(start, -preventiveGaps[i]!);
    });
    if (hadCgrp) {
      const start = addDays(procedureDate, -cgrpStart);
      const stop = addDays(start, cgrpLength);
      treatment(4, {
        type: 'cgrp-antibody',
        ...cgrp,
        start,
        stop: stop < procedureDate ? stop : addDays(procedureDate, -1),
        stopReason: 'ineffective',
      });
    }
    if (hadToxin) {
      const start = addDays(procedureDate, -toxinStart);
      treatment(5, {
        type: 'botulinum-toxin',
        start,
        stop: addDays(start, 84),
        doseUnits: 155,
        sites: ['frontal', 'temporal', 'occipital'],
        percentRelief: toxinRelief,
      });
    }
  }
  if (hadBlock && (migraine || neuropathic === 'occipital-neuralgia')) {
    treatment(6, {
      type: 'nerve-block',
      start: addDays(procedureDate, -blockDaysBefore),
      site: 'occipital',
      side: blockSide,
      agent: 'lidocaine 2 % with triamcinolone',
      percentRelief: blockRelief,
    });
  }

  // Made-up grades, mostly I and II (see the warning above): up to three events per procedure.
  gradeDraws.forEach((draw, i) => {
    const threshold = [0.3, 0.1, 0.05][i]!;
    if (draw >= threshold) return;
    const scaled = draw / threshold;
    const grade: ClavienDindoGrade = scaled < 0.6 ? 'I' : scaled < 0.88 ? 'II' : scaled < 0.96 ? 'IIIa' : 'IIIb';
    const options = COMPLICATIONS[grade];
    const what = options[Math.floor(termDraws[i]! * options.length)]!;
    const onset = addDays(procedureDate, onsetDraws[i]!);
    if (onset > endDate) return;
    const resolved = addDays(onset, resolveDraws[i]!);
    const event: AdverseEvent = {
      term: what.term,
      procedureId,
      onset,
      ...(resolved <= endDate && { resolved }),
      grade,
      relation: relatedDraws[i] ? 'related' : 'possibly-related',
      ...(what.action !== undefined && { action: what.action }),
    };
    records.push({ kind: 'adverse-event', id: `${patientId}-ae${i + 1}`, body: event });
  });
  return records;
}

export function countRecords(records: readonly DemoRecord[]): DemoRecordCounts {
  return {
    procedures: records.filter((r) => r.kind === 'procedure').length,
    treatments: records.filter((r) => r.kind === 'treatment').length,
    adverseEvents: records.filter((r) => r.kind === 'adverse-event').length,
  };
}
