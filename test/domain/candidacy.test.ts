import { describe, expect, test } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { candidacyChecklist, type CandidacyInput, type ChecklistItem } from '../../src/domain/candidacy.js';
import type { Attack, DailyRecord } from '../../src/domain/diary.js';
import {
  treatmentSchema,
  type CandidacyAssessment,
  type Treatment,
  type TreatmentType,
} from '../../src/domain/registry.js';
import { DEFAULT_SITE_SETTINGS, type SiteSettings } from '../../src/domain/site-settings.js';
import { addDays, eachDate } from '../../src/domain/time.js';
import { makeDiary, MIGRAINE_FEATURES } from '../helpers/diary.js';

/**
 * The candidacy checklist on hand-built diaries and records. Patient in UTC; the procedure is
 * planned on 2024-05-01, so the baseline is 2024-04-03 … 2024-04-30 and the medication-overuse
 * look-back (3 months) is February to April 2024. Every expected value is counted by hand from the
 * diary built here.
 */

const PATIENT = { id: 'p1', timeZone: 'UTC', conditions: ['migraine' as const] };
const PLANNED = '2024-05-01';
const TODAY = '2024-06-01';

/** A 6 h ICHD-3 1.1 attack at 08:00 UTC (B–D met), naming the given trigger sites. */
function migraine(date: string, sites: Attack['sites'] = undefined): Attack {
  return {
    id: `a-${date}`,
    start: `${date}T08:00:00Z`,
    end: `${date}T14:00:00Z`,
    ...MIGRAINE_FEATURES,
    ...(sites !== undefined && { sites }),
  } as Attack;
}

/** Headache-free daily records on every day from..to except the given ones. */
function headacheFree(from: string, to: string, except: readonly string[] = []): DailyRecord[] {
  return [...eachDate(from, to)].filter((d) => !except.includes(d)).map((date) => ({ date, noHeadache: true }));
}

/**
 * Six migraine attacks in the baseline (6 migraine days in 28 recorded days: MMD 6), five of them
 * naming sites: occipital 3, temporal 2, frontal 1. One after the baseline names "nasal".
 */
const BASELINE_ATTACKS: Attack[] = [
  migraine('2024-04-05', ['occipital']),
  migraine('2024-04-09', ['occipital']),
  migraine('2024-04-13', ['occipital', 'temporal']),
  migraine('2024-04-17', ['temporal']),
  migraine('2024-04-21'),
  migraine('2024-04-25', ['frontal']),
  migraine('2024-05-10', ['nasal']),
];
const ATTACK_DAYS = BASELINE_ATTACKS.map((a) => a.start.slice(0, 10));

function fullDiary(missing: readonly string[] = []) {
  return makeDiary({
    patient: PATIENT,
    attacks: BASELINE_ATTACKS,
    dailyRecords: headacheFree('2024-01-01', '2024-05-31', [...ATTACK_DAYS, ...missing]),
  });
}

function treatment(input: Record<string, unknown> & { type: TreatmentType }): Treatment {
  return treatmentSchema.parse(input);
}

interface Case {
  diary?: ReturnType<typeof makeDiary>;
  assessment?: CandidacyAssessment | null;
  treatments?: Treatment[];
  settings?: SiteSettings;
  planned?: string;
  today?: string;
}

function checklist(c: Case = {}) {
  const diary = c.diary ?? fullDiary();
  const today = c.today ?? TODAY;
  const baselineEnd = addDays(c.planned ?? PLANNED, -1);
  const input: CandidacyInput = {
    analysis: analyzeDiary(diary, { now: Date.parse(`${today}T12:00:00Z`), referenceDate: addDays(baselineEnd, 1) }),
    attacks: diary.attacks,
    assessment: c.assessment ?? null,
    treatments: c.treatments ?? [],
    settings: c.settings ?? DEFAULT_SITE_SETTINGS,
    baselineEnd,
    today,
  };
  return candidacyChecklist(input);
}

function itemOf(c: Case, id: string): ChecklistItem {
  const found = checklist(c).items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

const withThresholds = (candidacy: Partial<SiteSettings['candidacy']>): SiteSettings => ({
  ...DEFAULT_SITE_SETTINGS,
  candidacy: { ...DEFAULT_SITE_SETTINGS.candidacy, ...candidacy },
});

const ASSESSMENT: CandidacyAssessment = { contraindications: {} };

describe('the checklist as a whole', () => {
  test('lists the items in order, one per contraindication of the site, and gives no verdict', () => {
    const result = checklist();
    expect(Object.keys(result)).toEqual(['items']);
    expect(result.items.map((i) => [i.id, i.source])).toEqual([
      ['diagnosis-confirmed', 'clinician'],
      ['baseline-diary', 'diary'],
      ['preventive-classes', 'registry'],
      ['trigger-sites', 'diary'],
      ['site-confirmation', 'registry'],
      ['medication-overuse', 'diary'],
      ['contraindication:pregnancy', 'clinician'],
      ['contraindication:active-infection', 'clinician'],
      ['contraindication:anticoagulation', 'clinician'],
      ['contraindication:bleeding-disorder', 'clinician'],
      ['contraindication:insufficient-donor-fat', 'clinician'],
      ['contraindication:malignancy-at-site', 'clinician'],
    ]);
  });

  test('refuses an analysis whose 28-day periods are not anchored on the planned date', () => {
    const diary = fullDiary();
    const analysis = analyzeDiary(diary, { now: Date.parse('2024-06-01T12:00:00Z'), referenceDate: '2024-04-01' });
    expect(() =>
      candidacyChecklist({
        analysis,
        attacks: diary.attacks,
        assessment: null,
        treatments: [],
        settings: DEFAULT_SITE_SETTINGS,
        baselineEnd: '2024-04-30',
        today: TODAY,
      }),
    ).toThrow('anchored on 2024-05-01');
  });
});

describe('diagnosis confirmed by a clinician', () => {
  // Six attacks meeting 1.1 B–D: 1.1 A (≥5 attacks) is met by the diary.
  test('no assessment: unknown, with the ICHD-3 codes the diary meets', () => {
    expect(itemOf({}, 'diagnosis-confirmed')).toEqual({
      id: 'diagnosis-confirmed',
      label: 'Diagnosis confirmed by a clinician',
      status: 'unknown',
      evidence: { code: null, confirmedOn: null, diaryCodesMet: ['1.1'] },
      source: 'clinician',
    });
  });

  test('confirmed: met, with the code and date', () => {
    const assessment = { ...ASSESSMENT, diagnosis: { confirmed: true, code: '1.1', confirmedOn: '2024-04-02' } };
    expect(itemOf({ assessment }, 'diagnosis-confirmed')).toMatchObject({
      status: 'met',
      evidence: { code: '1.1', confirmedOn: '2024-04-02', diaryCodesMet: ['1.1'] },
    });
  });

  test('not confirmed: not met', () => {
    const assessment = { ...ASSESSMENT, diagnosis: { confirmed: false } };
    expect(itemOf({ assessment }, 'diagnosis-confirmed').status).toBe('not-met');
  });

  test('an assessment without a diagnosis leaves it unknown', () => {
    expect(itemOf({ assessment: ASSESSMENT }, 'diagnosis-confirmed').status).toBe('unknown');
  });
});

describe('baseline diary (28 days ending the day before the planned date)', () => {
  test('every day recorded: met, 6 migraine days per 28', () => {
    expect(itemOf({}, 'baseline-diary')).toEqual({
      id: 'baseline-diary',
      label: 'Baseline diary of 28 days',
      status: 'met',
      evidence: {
        start: '2024-04-03',
        end: '2024-04-30',
        recordedDays: 28,
        requiredDays: 23,
        migraineDaysPer28: 6,
        headacheDaysPer28: 6,
        migraineDaysUndetermined: 0,
      },
      source: 'diary',
    });
  });

  test('24 days recorded (4 missing): met, 6 × 28 / 24 = 7 migraine days per 28', () => {
    const diary = fullDiary(['2024-04-27', '2024-04-28', '2024-04-29', '2024-04-30']);
    expect(itemOf({ diary }, 'baseline-diary')).toMatchObject({
      status: 'met',
      evidence: { recordedDays: 24, migraineDaysPer28: 7, headacheDaysPer28: 7 },
    });
  });

  test('22 days recorded (under 80 %): not met, with the recorded days and no rate', () => {
    const missing = ['2024-04-03', '2024-04-04', '2024-04-27', '2024-04-28', '2024-04-29', '2024-04-30'];
    expect(itemOf({ diary: fullDiary(missing) }, 'baseline-diary')).toEqual({
      id: 'baseline-diary',
      label: 'Baseline diary of 28 days',
      status: 'not-met',
      evidence: { start: '2024-04-03', end: '2024-04-30', recordedDays: 22, requiredDays: 23 },
      source: 'diary',
    });
  });

  test('no diary at all: not met with 0 recorded days', () => {
    const diary = makeDiary({ patient: PATIENT });
    expect(itemOf({ diary }, 'baseline-diary')).toMatchObject({ status: 'not-met', evidence: { recordedDays: 0 } });
  });

  test('a diary that ended before the baseline: not met with 0 recorded days', () => {
    const diary = makeDiary({ patient: PATIENT, dailyRecords: headacheFree('2024-01-01', '2024-03-31') });
    expect(itemOf({ diary }, 'baseline-diary')).toMatchObject({ status: 'not-met', evidence: { recordedDays: 0 } });
  });

  describe('a baseline still running (planned 2024-06-10: baseline 2024-05-13 … 2024-06-09, today 2024-06-01)', () => {
    // Day 20 of 28 today; 23 recorded days are needed.
    test('every day so far recorded: unknown (20 + 8 days left can still reach 23)', () => {
      const diary = makeDiary({ patient: PATIENT, dailyRecords: headacheFree('2024-05-01', '2024-06-01') });
      expect(itemOf({ diary, planned: '2024-06-10' }, 'baseline-diary')).toEqual({
        id: 'baseline-diary',
        label: 'Baseline diary of 28 days',
        status: 'unknown',
        evidence: {
          start: '2024-05-13',
          end: '2024-06-09',
          recordedDays: 20,
          requiredDays: 23,
          inProgress: true,
          daysElapsed: 20,
        },
        source: 'diary',
      });
    });

    test('six days already missed: not met (14 + 8 days left cannot reach 23)', () => {
      const missing = ['2024-05-13', '2024-05-14', '2024-05-15', '2024-05-16', '2024-05-17', '2024-05-18'];
      const diary = makeDiary({ patient: PATIENT, dailyRecords: headacheFree('2024-05-01', '2024-06-01', missing) });
      expect(itemOf({ diary, planned: '2024-06-10' }, 'baseline-diary')).toMatchObject({
        status: 'not-met',
        evidence: { recordedDays: 14, daysElapsed: 20, inProgress: true },
      });
    });

    test('five days missed: still unknown (15 + 8 = 23)', () => {
      const missing = ['2024-05-13', '2024-05-14', '2024-05-15', '2024-05-16', '2024-05-17'];
      const diary = makeDiary({ patient: PATIENT, dailyRecords: headacheFree('2024-05-01', '2024-06-01', missing) });
      expect(itemOf({ diary, planned: '2024-06-10' }, 'baseline-diary')).toMatchObject({
        status: 'unknown',
        evidence: { recordedDays: 15 },
      });
    });
  });
});

const PROPRANOLOL = treatment({
  type: 'oral-preventive',
  drug: 'propranolol',
  preventiveClass: 'beta-blocker',
  start: '2023-01-10',
  stop: '2023-05-01',
});
const METOPROLOL = treatment({
  type: 'oral-preventive',
  drug: 'metoprolol',
  preventiveClass: 'beta-blocker',
  start: '2023-06-01',
});
const TOPIRAMATE = treatment({
  type: 'oral-preventive',
  drug: 'topiramate',
  preventiveClass: 'anticonvulsant',
  start: '2023-09-01',
});

describe('preventive classes tried (default: at least 2)', () => {
  test('two beta-blockers and topiramate are two classes: met', () => {
    expect(itemOf({ treatments: [PROPRANOLOL, METOPROLOL, TOPIRAMATE] }, 'preventive-classes')).toEqual({
      id: 'preventive-classes',
      label: 'Preventive classes tried',
      status: 'met',
      evidence: {
        classes: { 'beta-blocker': ['propranolol', 'metoprolol'], anticonvulsant: ['topiramate'] },
        count: 2,
        required: 2,
        treatmentHistoryComplete: null,
      },
      source: 'registry',
    });
  });

  test('a CGRP antibody and botulinum toxin are classes of their own; a nerve block is not', () => {
    const treatments = [
      treatment({ type: 'cgrp-antibody', drug: 'erenumab', start: '2023-02-01' }),
      treatment({ type: 'botulinum-toxin', start: '2023-03-01', doseUnits: 155, sites: ['frontal'] }),
      treatment({ type: 'nerve-block', start: '2023-04-01', site: 'occipital', side: 'left', percentRelief: 80 }),
    ];
    expect(itemOf({ treatments }, 'preventive-classes')).toMatchObject({
      status: 'met',
      evidence: { classes: { 'cgrp-antibody': ['erenumab'], 'botulinum-toxin': ['botulinum toxin'] }, count: 2 },
    });
  });

  test('one class and an incomplete history: unknown', () => {
    expect(itemOf({ treatments: [PROPRANOLOL, METOPROLOL] }, 'preventive-classes')).toMatchObject({
      status: 'unknown',
      evidence: { count: 1, treatmentHistoryComplete: null },
    });
  });

  test('one class and a history the clinician calls complete: not met', () => {
    const assessment = { ...ASSESSMENT, treatmentHistoryComplete: true };
    expect(itemOf({ treatments: [PROPRANOLOL], assessment }, 'preventive-classes')).toMatchObject({
      status: 'not-met',
      evidence: { count: 1, treatmentHistoryComplete: true },
    });
  });

  test('a class started after the baseline does not count', () => {
    const late = treatment({
      type: 'oral-preventive',
      drug: 'amitriptyline',
      preventiveClass: 'tricyclic',
      start: '2024-05-01',
    });
    const assessment = { ...ASSESSMENT, treatmentHistoryComplete: true };
    expect(itemOf({ treatments: [PROPRANOLOL, late], assessment }, 'preventive-classes')).toMatchObject({
      status: 'not-met',
      evidence: { classes: { 'beta-blocker': ['propranolol'] }, count: 1 },
    });
  });

  test('the site’s threshold applies: 3 classes required', () => {
    const settings = withThresholds({ minPreventiveClasses: 3 });
    expect(itemOf({ treatments: [PROPRANOLOL, TOPIRAMATE], settings }, 'preventive-classes')).toMatchObject({
      status: 'unknown',
      evidence: { count: 2, required: 3 },
    });
  });
});

describe('trigger sites seen in the diary', () => {
  test('five attacks name sites (occipital 3, temporal 2, frontal 1); at 20 % all three count; later attacks do not', () => {
    expect(itemOf({}, 'trigger-sites')).toEqual({
      id: 'trigger-sites',
      label: 'Trigger sites seen in the diary',
      status: 'met',
      evidence: {
        attacksNamingSites: 5,
        counts: { occipital: 3, temporal: 2, frontal: 1 },
        minShare: 0.2,
        sites: ['frontal', 'occipital', 'temporal'],
      },
      source: 'diary',
    });
  });

  test('at 30 % frontal (1 of 5) drops out', () => {
    const settings = withThresholds({ minSiteShare: 0.3 });
    expect(itemOf({ settings }, 'trigger-sites')).toMatchObject({
      status: 'met',
      evidence: { sites: ['occipital', 'temporal'] },
    });
  });

  test('at 70 % no site is consistent (occipital 3 of 5): not met', () => {
    const settings = withThresholds({ minSiteShare: 0.7 });
    expect(itemOf({ settings }, 'trigger-sites')).toMatchObject({ status: 'not-met', evidence: { sites: [] } });
  });

  test('no attack names a site: unknown', () => {
    const diary = makeDiary({
      patient: PATIENT,
      attacks: [migraine('2024-04-05'), migraine('2024-04-09')],
      dailyRecords: headacheFree('2024-04-01', '2024-04-30', ['2024-04-05', '2024-04-09']),
    });
    expect(itemOf({ diary }, 'trigger-sites')).toMatchObject({
      status: 'unknown',
      evidence: { attacksNamingSites: 0, counts: {}, sites: [] },
    });
  });
});

const block = (site: 'occipital' | 'nasal' | 'temporal', percentRelief?: number, start = '2024-02-01') =>
  treatment({
    type: 'nerve-block',
    start,
    site,
    side: 'bilateral',
    ...(percentRelief !== undefined && { percentRelief }),
  });

describe('nerve block or botulinum toxin response at the diary’s sites (default ≥ 50 %)', () => {
  const settings = withThresholds({ minSiteShare: 0.3 }); // sites: occipital, temporal

  test('an occipital block with 70 % relief: met', () => {
    expect(itemOf({ settings, treatments: [block('occipital', 70)] }, 'site-confirmation')).toEqual({
      id: 'site-confirmation',
      label: 'Nerve block or botulinum toxin response at those sites',
      status: 'met',
      evidence: {
        sites: ['occipital', 'temporal'],
        minReliefPercent: 50,
        tests: [{ type: 'nerve-block', start: '2024-02-01', sites: ['occipital'], percentRelief: 70 }],
        confirmedSites: ['occipital'],
      },
      source: 'registry',
    });
  });

  test('exactly 50 % confirms', () => {
    expect(itemOf({ settings, treatments: [block('temporal', 50)] }, 'site-confirmation')).toMatchObject({
      status: 'met',
      evidence: { confirmedSites: ['temporal'] },
    });
  });

  test('tested at the sites but all below 50 %: not met; toxin at a site the diary does not show is left out', () => {
    const toxin = treatment({
      type: 'botulinum-toxin',
      start: '2024-01-15',
      doseUnits: 100,
      sites: ['temporal', 'frontal'],
      percentRelief: 30,
    });
    expect(itemOf({ settings, treatments: [block('occipital', 40), toxin] }, 'site-confirmation')).toMatchObject({
      status: 'not-met',
      evidence: {
        tests: [
          { type: 'botulinum-toxin', start: '2024-01-15', sites: ['temporal'], percentRelief: 30 },
          { type: 'nerve-block', start: '2024-02-01', sites: ['occipital'], percentRelief: 40 },
        ],
        confirmedSites: [],
      },
    });
  });

  test('a block elsewhere, one without relief recorded, or one after the baseline: unknown', () => {
    const treatments = [block('nasal', 90), block('occipital'), block('occipital', 90, '2024-05-01')];
    expect(itemOf({ settings, treatments }, 'site-confirmation')).toMatchObject({
      status: 'unknown',
      evidence: {
        tests: [{ type: 'nerve-block', start: '2024-02-01', sites: ['occipital'], percentRelief: null }],
        confirmedSites: [],
      },
    });
  });

  test('no site in the diary: unknown whatever was tested', () => {
    const diary = makeDiary({ patient: PATIENT, dailyRecords: headacheFree('2024-01-01', '2024-04-30') });
    expect(itemOf({ diary, treatments: [block('occipital', 90)] }, 'site-confirmation')).toMatchObject({
      status: 'unknown',
      evidence: { sites: [], tests: [] },
    });
  });
});

/** A month of daily records: headache on days 1–15 with a triptan on days 1–10, headache-free after. */
function triptanMonth(month: string, lastDay: number): DailyRecord[] {
  return Array.from({ length: lastDay }, (_, i) => {
    const date = `${month}-${String(i + 1).padStart(2, '0')}`;
    if (i >= 15) return { date, noHeadache: true };
    return {
      date,
      headache: { peakIntensity: 6, hours: 6 },
      ...(i < 10 && { medications: [{ name: 'sumatriptan', class: 'triptan' as const }] }),
    } as DailyRecord;
  });
}

describe('medication overuse in the 3 months up to the baseline’s end (ICHD-3 8.2)', () => {
  // Triptan on 10 days with 15 headache days in each of January–April: at risk for three months,
  // meets 8.2.2 criteria in April, the fourth (medication-overuse.ts).
  const overuse = makeDiary({
    patient: PATIENT,
    dailyRecords: [
      ...triptanMonth('2024-01', 31),
      ...triptanMonth('2024-02', 29),
      ...triptanMonth('2024-03', 31),
      ...triptanMonth('2024-04', 30),
      ...headacheFree('2024-05-01', '2024-07-31'),
    ],
  });

  test('none in the diary: met', () => {
    expect(itemOf({}, 'medication-overuse')).toEqual({
      id: 'medication-overuse',
      label: 'Medication overuse addressed',
      status: 'met',
      // February 29 + March 31 + April 30 days, all recorded.
      evidence: {
        from: '2024-02',
        to: '2024-04',
        recordedDays: 90,
        meetsCriteria: [],
        overuse: [],
        medicationOveruseAddressed: null,
      },
      source: 'diary',
    });
  });

  test('8.2.2 met in April and not addressed: not met', () => {
    expect(itemOf({ diary: overuse }, 'medication-overuse')).toMatchObject({
      status: 'not-met',
      evidence: {
        meetsCriteria: ['8.2.2'],
        overuse: [
          {
            code: '8.2.2',
            name: 'triptan overuse',
            months: [
              { month: '2024-02', days: 10, headacheDays: 15, level: 'risk' },
              { month: '2024-03', days: 10, headacheDays: 15, level: 'risk' },
              { month: '2024-04', days: 10, headacheDays: 15, level: 'meets-criteria' },
            ],
          },
        ],
      },
    });
  });

  test('met and addressed by the clinician: met; said not addressed: not met', () => {
    const addressed = { ...ASSESSMENT, medicationOveruseAddressed: true };
    expect(itemOf({ diary: overuse, assessment: addressed }, 'medication-overuse')).toMatchObject({
      status: 'met',
      evidence: { meetsCriteria: ['8.2.2'], medicationOveruseAddressed: true },
    });
    const notAddressed = { ...ASSESSMENT, medicationOveruseAddressed: false };
    expect(itemOf({ diary: overuse, assessment: notAddressed }, 'medication-overuse').status).toBe('not-met');
  });

  test('months at risk only (baseline ending in March: January–March): met, the risk months listed', () => {
    expect(itemOf({ diary: overuse, planned: '2024-04-01' }, 'medication-overuse')).toMatchObject({
      status: 'met',
      evidence: {
        from: '2024-01',
        to: '2024-03',
        meetsCriteria: [],
        overuse: [{ code: '8.2.2', months: [{ level: 'risk' }, { level: 'risk' }, { level: 'risk' }] }],
      },
    });
  });

  test('overuse that ended before the look-back (May–July headache-free): met', () => {
    expect(itemOf({ diary: overuse, planned: '2024-08-01', today: '2024-08-01' }, 'medication-overuse')).toMatchObject({
      status: 'met',
      evidence: { from: '2024-05', to: '2024-07', recordedDays: 92, meetsCriteria: [], overuse: [] },
    });
  });

  test('no diary in the look-back: unknown', () => {
    const diary = makeDiary({ patient: PATIENT, dailyRecords: headacheFree('2023-06-01', '2023-12-31') });
    expect(itemOf({ diary }, 'medication-overuse')).toMatchObject({ status: 'unknown', evidence: { recordedDays: 0 } });
  });
});

describe('contraindications of the site', () => {
  test('absent → met, present → not met, unanswered → unknown', () => {
    const assessment = { contraindications: { pregnancy: false, anticoagulation: true } };
    const items = checklist({ assessment }).items.filter((i) => i.id.startsWith('contraindication:'));
    expect(items.map((i) => [i.id, i.status, i.evidence])).toEqual([
      ['contraindication:pregnancy', 'met', { present: false }],
      ['contraindication:active-infection', 'unknown', { present: null }],
      ['contraindication:anticoagulation', 'not-met', { present: true }],
      ['contraindication:bleeding-disorder', 'unknown', { present: null }],
      ['contraindication:insufficient-donor-fat', 'unknown', { present: null }],
      ['contraindication:malignancy-at-site', 'unknown', { present: null }],
    ]);
    expect(items[0]).toMatchObject({ label: 'No contraindication: Pregnant or breastfeeding', source: 'clinician' });
  });

  test('a site’s own list replaces the default one', () => {
    const settings = { ...DEFAULT_SITE_SETTINGS, contraindications: [{ id: 'smoker', label: 'Active smoker' }] };
    const items = checklist({ settings, assessment: { contraindications: { smoker: true, pregnancy: false } } }).items;
    expect(items.filter((i) => i.id.startsWith('contraindication:')).map((i) => [i.id, i.status])).toEqual([
      ['contraindication:smoker', 'not-met'],
    ]);
  });
});
