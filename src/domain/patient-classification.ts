import type { AttackType, Tri } from './attack-classification.js';
import type { AnalysisConfig } from './config.js';
import type { DerivedAttack } from './days.js';
import type { MedicationOveruse } from './medication-overuse.js';
import type { MonthSummary } from './periods.js';

/**
 * ICHD-3 diagnoses over a whole diary (clinical-reference §1): 1.1, 1.2 (1.2.1 typical aura),
 * 1.3 chronic migraine, 1.5 probable migraine, 2.x tension-type headache and 8.2.x
 * medication-overuse headache. Each diagnosis lists its criteria, met (true), not met (false) or
 * undetermined (null), with the attacks or months behind them.
 *
 * Software cannot assert "not better accounted for by another ICHD-3 diagnosis" (criterion E and
 * its equivalents): every diagnosis says what a clinician must still confirm.
 */

export type DiagnosisStatus = 'met' | 'undetermined' | 'not-met' | 'at-risk';

export interface PatientCriterion {
  id: string;
  description: string;
  met: Tri;
  evidence: { attackIds?: string[]; months?: string[]; count?: number };
}

export interface Diagnosis {
  code: string;
  name: string;
  status: DiagnosisStatus;
  criteria: PatientCriterion[];
  clinicianMustConfirm: string[];
}

export interface PatientClassification {
  /** Codes whose criteria the diary meets, pending the clinician's confirmations. */
  codesMet: string[];
  diagnoses: Diagnosis[];
  attackTypes: Record<AttackType, number>;
}

const NOT_BETTER_ACCOUNTED = 'E: not better accounted for by another ICHD-3 diagnosis (history and examination)';
const TYPICAL_AURA_TYPES = new Set(['visual', 'sensory', 'speech']);

function statusOf(criteria: PatientCriterion[]): DiagnosisStatus {
  if (criteria.every((c) => c.met === true)) return 'met';
  if (criteria.some((c) => c.met === false)) return 'not-met';
  return 'undetermined';
}

/**
 * "On ≥n days/month for more than 3 months": a month counts when its recorded days reach n,
 * fails when even every unrecorded or undetermined day could not reach n.
 */
function sustainedMonthly(
  months: readonly MonthSummary[],
  n: number,
  known: (m: MonthSummary) => number,
  possible: (m: MonthSummary) => number,
  sustained: number,
): { met: Tri; months: string[] } {
  let best: string[] = [];
  let run: string[] = [];
  let possibleRun = 0;
  let bestPossible = 0;
  for (const m of months) {
    if (known(m) >= n) run.push(m.month);
    else run = [];
    if (run.length > best.length) best = [...run];
    possibleRun = possible(m) >= n ? possibleRun + 1 : 0;
    bestPossible = Math.max(bestPossible, possibleRun);
  }
  const met: Tri = best.length >= sustained ? true : bestPossible >= sustained ? null : false;
  return { met, months: best };
}

export function classifyPatient(
  attacks: readonly DerivedAttack[],
  months: readonly MonthSummary[],
  overuse: readonly MedicationOveruse[],
  cfg: AnalysisConfig,
): PatientClassification {
  const attackTypes: Record<AttackType, number> = {
    'migraine-without-aura': 0,
    'migraine-with-aura': 0,
    'probable-migraine-without-aura': 0,
    'probable-migraine-with-aura': 0,
    'tension-type-like': 0,
    unclassified: 0,
  };
  const idsOf = (t: AttackType): string[] => attacks.filter((a) => a.classification?.type === t).map((a) => a.id);
  for (const a of attacks) if (a.classification) attackTypes[a.classification.type]++;
  const without = idsOf('migraine-without-aura');
  const withAura = idsOf('migraine-with-aura');
  // Attacks not shown to fulfil 1.1 B–D (or 1.2 B–C) that still could once their unrecorded features are
  // known: none of those criteria is false. A headache day from daily records has no features, so it stays
  // open for 1.1 (never for 1.2: an attack without recorded aura fails 1.2 B).
  const couldFulfil = (a: DerivedAttack, criteria: 'migraineWithoutAura' | 'migraineWithAura'): boolean => {
    const c = a.classification;
    if (c === null) return criteria === 'migraineWithoutAura' && a.migraine !== false;
    if (c.type === 'migraine-without-aura' || c.type === 'migraine-with-aura') return false;
    return c[criteria].every((x) => x.met !== false);
  };
  const undetermined11 = attacks.filter((a) => couldFulfil(a, 'migraineWithoutAura')).length;
  const undetermined12 = attacks.filter((a) => couldFulfil(a, 'migraineWithAura')).length;
  const undeterminedEither = attacks.filter(
    (a) => couldFulfil(a, 'migraineWithoutAura') || couldFulfil(a, 'migraineWithAura'),
  ).length;
  const diagnoses: Diagnosis[] = [];

  // 1.1 A: at least five attacks fulfilling B–D.
  const m11: Diagnosis = {
    code: '1.1',
    name: 'Migraine without aura',
    status: 'not-met',
    criteria: [
      {
        id: 'A',
        description: '≥5 attacks fulfilling criteria B–D',
        met: without.length >= 5 ? true : undetermined11 + without.length >= 5 ? null : false,
        evidence: { attackIds: without, count: without.length },
      },
    ],
    clinicianMustConfirm: [NOT_BETTER_ACCOUNTED],
  };
  m11.status = statusOf(m11.criteria);
  diagnoses.push(m11);

  // 1.2 A: at least two attacks fulfilling B and C; 1.2.1 when every aura is visual, sensory or speech.
  const auraTypesSeen = attacks
    .filter((a) => a.classification?.type === 'migraine-with-aura')
    .flatMap((a) => a.auraTypes);
  const typical = auraTypesSeen.length > 0 && auraTypesSeen.every((t) => TYPICAL_AURA_TYPES.has(t));
  const m12: Diagnosis = {
    code: typical ? '1.2.1' : '1.2',
    name: typical ? 'Migraine with typical aura' : 'Migraine with aura',
    status: 'not-met',
    criteria: [
      {
        id: 'A',
        description: '≥2 attacks fulfilling criteria B and C',
        met: withAura.length >= 2 ? true : undetermined12 + withAura.length >= 2 ? null : false,
        evidence: { attackIds: withAura, count: withAura.length },
      },
    ],
    clinicianMustConfirm: [
      'D: not better accounted for by another ICHD-3 diagnosis (transient ischaemic attack excluded)',
    ],
  };
  m12.status = statusOf(m12.criteria);
  diagnoses.push(m12);

  // 1.3 chronic migraine.
  const unrecorded = (m: MonthSummary): number => m.days - m.recordedDays;
  const a13 = sustainedMonthly(
    months,
    15,
    (m) => m.headacheDays,
    (m) => m.headacheDays + unrecorded(m),
    cfg.sustainedMonths,
  );
  const qualifyingAttacks = [...without, ...withAura];
  // 1.3 A requires B and C in the same months: C's ≥8 migraine-like days fall within A's months.
  const c13 = sustainedMonthly(
    months,
    1,
    (m) => (m.headacheDays >= 15 && m.migraineLikeDays >= 8 ? 1 : 0),
    (m) =>
      m.headacheDays + unrecorded(m) >= 15 && m.migraineLikeDays + m.migraineLikeDaysUndetermined + unrecorded(m) >= 8
        ? 1
        : 0,
    cfg.sustainedMonths,
  );
  const m13: Diagnosis = {
    code: '1.3',
    name: 'Chronic migraine',
    status: 'not-met',
    criteria: [
      {
        id: 'A',
        description: `headache on ≥15 days/month for >3 months (${cfg.sustainedMonths} consecutive months)`,
        met: a13.met,
        evidence: { months: a13.months },
      },
      {
        id: 'B',
        description: '≥5 attacks fulfilling 1.1 B–D and/or 1.2 B–C',
        met: qualifyingAttacks.length >= 5 ? true : qualifyingAttacks.length + undeterminedEither >= 5 ? null : false,
        evidence: { attackIds: qualifyingAttacks, count: qualifyingAttacks.length },
      },
      {
        id: 'C',
        description:
          'in those months, ≥8 days/month with 1.1 C+D, 1.2 B+C, or believed migraine and relieved by a triptan or ergot',
        met: c13.met,
        evidence: { months: c13.months },
      },
    ],
    clinicianMustConfirm: [
      'D: not better accounted for by another ICHD-3 diagnosis',
      'that migraine-like days were believed by the patient to be migraine at onset',
    ],
  };
  m13.status = statusOf(m13.criteria);
  diagnoses.push(m13);

  // 1.5 probable migraine: attacks missing one criterion, or too few full attacks.
  const probableWithout = idsOf('probable-migraine-without-aura');
  const probableWith = idsOf('probable-migraine-with-aura');
  diagnoses.push(
    probable('1.5.1', 'Probable migraine without aura', m11.status, [...without, ...probableWithout], undetermined11),
    probable('1.5.2', 'Probable migraine with aura', m12.status, [...withAura, ...probableWith], undetermined12),
  );

  diagnoses.push(tensionType(attacks, months, m13.status === 'met', cfg));

  for (const o of overuse) {
    diagnoses.push({
      code: o.code,
      name: `Medication-overuse headache: ${o.name}`,
      status: o.status === 'meets-criteria' ? 'met' : 'at-risk',
      criteria: [
        {
          id: 'A+B',
          description: `headache on ≥15 days/month and ≥${o.thresholdDays} days/month of use for >3 months`,
          met: o.status === 'meets-criteria',
          evidence: { months: o.months.map((m) => m.month) },
        },
      ],
      clinicianMustConfirm: [
        'a pre-existing headache disorder',
        'C: not better accounted for by another ICHD-3 diagnosis',
      ],
    });
  }

  // 1.3 and 8.2 are both given when both are met (ICHD-3 1.3 comment); 1.1 and 1.2 stay listed
  // as the migraine types that make up the chronic migraine.
  const codesMet = diagnoses.filter((d) => d.status === 'met').map((d) => d.code);
  return { codesMet, diagnoses, attackTypes };
}

/**
 * 1.5.x is given when the full diagnosis is not met but attacks meet all but one criterion. While
 * the full diagnosis is undetermined, so is 1.5.x: the missing features may complete it.
 */
function probable(
  code: string,
  name: string,
  fullStatus: DiagnosisStatus,
  attackIds: string[],
  undeterminedAttacks: number,
): Diagnosis {
  let met: Tri = false;
  if (fullStatus === 'not-met') met = attackIds.length > 0 ? true : undeterminedAttacks > 0 ? null : false;
  else if (fullStatus === 'undetermined') met = attackIds.length > 0 || undeterminedAttacks > 0 ? null : false;
  const criteria = [
    {
      id: 'A+B',
      description: 'attacks fulfilling all but one of the criteria for migraine, the full criteria not met',
      met,
      evidence: { attackIds, count: attackIds.length },
    },
  ];
  return {
    code,
    name,
    status: statusOf(criteria),
    criteria,
    clinicianMustConfirm: ['C: not fulfilling criteria for any other headache disorder', NOT_BETTER_ACCOUNTED],
  };
}

/** ICHD-3 2.1–2.3 by the mean number of tension-type-like days per month. */
function tensionType(
  attacks: readonly DerivedAttack[],
  months: readonly MonthSummary[],
  chronicMigraine: boolean,
  cfg: AnalysisConfig,
): Diagnosis {
  const episodes = attacks.filter((a) => a.classification?.type === 'tension-type-like').map((a) => a.id);
  // Headaches whose features are not recorded could still be tension-type episodes.
  const couldBe = attacks.filter(
    (a) =>
      a.classification === null ||
      (a.classification.type !== 'tension-type-like' && a.classification.tensionType.every((c) => c.met !== false)),
  ).length;
  const sufficient = months.filter((m) => m.sufficient);
  const meanDays =
    sufficient.length === 0 ? null : sufficient.reduce((s, m) => s + m.tensionTypeLikeDays, 0) / sufficient.length;
  let subtype: [string, string] = ['2', 'Tension-type headache'];
  if (meanDays !== null) {
    if (meanDays < 1) subtype = ['2.1', 'Infrequent episodic tension-type headache'];
    else if (meanDays < 15) subtype = ['2.2', 'Frequent episodic tension-type headache'];
    else subtype = ['2.3', 'Chronic tension-type headache'];
  }
  const longEnough = subtype[0] === '2.1' || sufficient.length >= cfg.sustainedMonths;
  const a: Tri =
    episodes.length >= 10 && meanDays !== null && longEnough ? true : episodes.length + couldBe >= 10 ? null : false;
  // The subtype is named only when its criteria are met.
  const [code, name] = a === true ? subtype : ['2', 'Tension-type headache'];
  const criteria: PatientCriterion[] = [
    {
      id: 'A',
      description: '≥10 episodes fulfilling B–D, at the frequency of the subtype',
      met: a,
      evidence: { attackIds: episodes, count: episodes.length, months: sufficient.map((m) => m.month) },
    },
    {
      id: 'not 1.3',
      description: 'tension-type-like days are part of chronic migraine when 1.3 is met (ICHD-3 1.3 A)',
      met: !chronicMigraine,
      evidence: {},
    },
  ];
  return { code, name, status: statusOf(criteria), criteria, clinicianMustConfirm: [NOT_BETTER_ACCOUNTED] };
}
