import type { PatientFlagName, PatientStatus } from '../../src/domain/patient-flags.js';
import { addDays } from '../../src/domain/time.js';
import { DiaryImportService, type ImportEntry } from '../../src/services/bulk-import.js';
import type { ReliefServices } from '../../src/services/relief-services.js';
import { addPatient, addSite, SEEDER } from './api.js';
import { MIGRAINE_FEATURES } from './diary.js';

/**
 * Patients that each raise the patient list's flags, or just miss them, on 1 July 2024 (the
 * clock below; Europe/Paris, so the patients' today is 2024-07-01). The compliance window is then
 * 4 June … 1 July; the overuse months July (so far) and June.
 */
export const FLAG_CLOCK = '2024-07-01T10:00:00Z';
export const FLAG_TODAY = '2024-07-01';

export interface FlagPatient {
  id: string;
  name: string;
  siteId: string;
  flags: PatientFlagName[];
  status: PatientStatus;
}

export const FLAG_PATIENTS: FlagPatient[] = [
  // 28 of 28 days recorded, nothing else.
  { id: 'p-olivia', name: 'Olivia Allclear', siteId: 'site-a', flags: [], status: 'no-procedure' },
  // 22 of 28 days: below 80 %.
  { id: 'p-lars', name: 'Lars Gapfield', siteId: 'site-a', flags: ['low-compliance'], status: 'no-procedure' },
  // 23 of 28 days: at 82 %, enough.
  { id: 'p-otto', name: 'Otto Justenough', siteId: 'site-a', flags: [], status: 'no-procedure' },
  // Triptans on 10 days of June: ICHD-3 8.2.2's threshold.
  { id: 'p-mia', name: 'Mia Triptan', siteId: 'site-a', flags: ['medication-overuse'], status: 'no-procedure' },
  // Triptans on 9 days of June.
  { id: 'p-nina', name: 'Nina Ninedays', siteId: 'site-a', flags: [], status: 'no-procedure' },
  // Triptans on 10 days and nothing else recorded: overuse, and 10 of 28 days.
  {
    id: 'p-gus',
    name: 'Gus Twoflags',
    siteId: 'site-a',
    flags: ['medication-overuse', 'low-compliance'],
    status: 'no-procedure',
  },
  // Procedure on 16 May: the 1-month visit's window closed on 30 June without HIT-6 and PGIC.
  {
    id: 'p-felix',
    name: 'Felix Overdue',
    siteId: 'site-a',
    flags: ['follow-up-overdue'],
    status: 'in-follow-up',
  },
  // Procedure on 17 May: the window closes today; due, not overdue.
  { id: 'p-dora', name: 'Dora Duetoday', siteId: 'site-a', flags: [], status: 'in-follow-up' },
  // Procedure on 1 May: 4 migraine days at baseline, 5 in the 1-month period.
  { id: 'p-walter', name: 'Walter Worse', siteId: 'site-a', flags: ['worsening'], status: 'in-follow-up' },
  // The same with 4 migraine days after, one day of the 1-month period unrecorded: MMD 4 × 28 / 27 = 4.1,
  // higher than 4, but MHI up 3.7 % only: not Guyuron's worsening, and no flag.
  { id: 'p-sam', name: 'Sam Steady', siteId: 'site-a', flags: [], status: 'in-follow-up' },
  // Site B, nothing recorded.
  { id: 'p-bea', name: 'Bea Southside', siteId: 'site-b', flags: ['low-compliance'], status: 'no-procedure' },
];

/** A procedure body done at a site on a date. */
export function procedureBody(siteId: string, date: string): Record<string, unknown> {
  return {
    date,
    surgeon: 'S01',
    siteId,
    donorSites: ['abdomen'],
    harvest: { technique: 'syringe-coleman' },
    processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
    recipientSites: [{ site: 'occipital', side: 'bilateral', volumeMl: 4 }],
    anaesthesia: 'local',
  };
}

/** "No headache" on every day from `from` to `to`, but the days in `skip`. */
function dailies(from: string, to: string, skip: ReadonlySet<string> = new Set()): ImportEntry[] {
  const out: ImportEntry[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!skip.has(d)) out.push({ kind: 'daily-record', id: `day-${d}`, body: { date: d, noHeadache: true } });
  }
  return out;
}

/** A 6-hour migraine attack (ICHD-3 1.1) on each date. */
function attacks(dates: readonly string[]): ImportEntry[] {
  return dates.map((d) => ({
    kind: 'attack',
    id: `attack-${d}`,
    body: { ...MIGRAINE_FEATURES, id: `attack-${d}`, start: `${d}T08:00:00+02:00`, end: `${d}T14:00:00+02:00` },
  }));
}

/** Sumatriptan on each of `n` days from 5 June. */
function triptans(n: number): ImportEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const date = addDays('2024-06-05', i);
    return { kind: 'medication', id: `triptan-${date}`, body: { name: 'sumatriptan', class: 'triptan', date } };
  });
}

const questionnaire = (id: string, body: Record<string, unknown>): ImportEntry => ({
  kind: 'questionnaire',
  id,
  body,
});
const midas = (date: string) =>
  questionnaire(`midas-${date}`, {
    instrument: 'MIDAS',
    date,
    answers: {
      missedWorkOrSchool: 2,
      reducedWorkOrSchool: 3,
      missedHousework: 2,
      reducedHousework: 2,
      missedFamilySocialLeisure: 1,
    },
  });
const hit6 = (date: string) =>
  questionnaire(`hit6-${date}`, {
    instrument: 'HIT-6',
    date,
    answers: ['sometimes', 'sometimes', 'very-often', 'rarely', 'sometimes', 'rarely'],
  });
const pgic = (date: string) => questionnaire(`pgic-${date}`, { instrument: 'PGIC', date, answer: 'no-change' });

/** Every day of the compliance window but `n` of them (from 5 June). */
const windowWithout = (n: number) => dailies('2024-06-04', FLAG_TODAY, new Set(triptanDays(n)));
const triptanDays = (n: number) => Array.from({ length: n }, (_, i) => addDays('2024-06-05', i));

const WALTER_BEFORE = ['2024-04-05', '2024-04-12', '2024-04-19', '2024-04-26'];

/** What each patient's diary holds, and their procedure's date. */
const DIARIES: Record<string, { entries: ImportEntry[]; procedure?: string }> = {
  'p-olivia': { entries: dailies('2024-06-04', FLAG_TODAY) },
  'p-lars': { entries: windowWithout(6) },
  'p-otto': { entries: windowWithout(5) },
  'p-mia': { entries: [...dailies('2024-06-04', FLAG_TODAY), ...triptans(10)] },
  'p-nina': { entries: [...dailies('2024-06-04', FLAG_TODAY), ...triptans(9)] },
  'p-gus': { entries: triptans(10) },
  // Baseline (period 0, 18 April … 15 May) recorded with MIDAS and HIT-6 in its window; nothing at 1 month.
  'p-felix': {
    procedure: '2024-05-16',
    entries: [...dailies('2024-04-18', FLAG_TODAY), midas('2024-05-10'), hit6('2024-05-10')],
  },
  'p-dora': {
    procedure: '2024-05-17',
    entries: [...dailies('2024-04-19', FLAG_TODAY), midas('2024-05-10'), hit6('2024-05-10')],
  },
  // Baseline 3 … 30 April; the 1-month visit (window 25 May … 15 June) done on 1 June; period 1 is 1 … 28 May.
  'p-walter': {
    procedure: '2024-05-01',
    entries: withAttacks(
      [...WALTER_BEFORE, '2024-05-03', '2024-05-10', '2024-05-17', '2024-05-24', '2024-05-27'],
      [midas('2024-04-25'), hit6('2024-04-25'), hit6('2024-06-01'), pgic('2024-06-01')],
    ),
  },
  'p-sam': {
    procedure: '2024-05-01',
    entries: withAttacks(
      [...WALTER_BEFORE, '2024-05-03', '2024-05-10', '2024-05-17', '2024-05-24'],
      [midas('2024-04-25'), hit6('2024-04-25'), hit6('2024-06-01'), pgic('2024-06-01')],
      ['2024-05-15'],
    ),
  },
  'p-bea': { entries: [] },
};

/**
 * Attacks on `dates`, "no headache" on every other day from 3 April to today but the `unrecorded`
 * ones, and the questionnaires.
 */
function withAttacks(dates: string[], questionnaires: ImportEntry[], unrecorded: string[] = []): ImportEntry[] {
  const skip = new Set([...dates, ...unrecorded]);
  return [...dailies('2024-04-03', FLAG_TODAY, skip), ...attacks(dates), ...questionnaires];
}

/** Sites A and B and every patient of FLAG_PATIENTS with their diaries and procedures. */
export async function seedFlagPatients(services: ReliefServices): Promise<void> {
  await addSite(services, 'site-a', 'North Clinic');
  await addSite(services, 'site-b', 'South Clinic');
  const importer = new DiaryImportService(services.store, services.clock);
  for (const p of FLAG_PATIENTS) {
    await addPatient(services, p.id, p.siteId, { displayName: p.name, birthYear: 1980, sex: 'female' });
    const diary = DIARIES[p.id]!;
    if (diary.procedure !== undefined) {
      const body = procedureBody(p.siteId, diary.procedure);
      await services.registry.put(SEEDER, 'procedure', p.id, `proc-${p.id}`, body, undefined);
    }
    // Entry ids name one entry whoever it belongs to: each patient's are prefixed with their id.
    const entries = diary.entries.map((e) => ({
      ...e,
      id: `${p.id}-${e.id}`,
      body: e.kind === 'attack' ? { ...e.body, id: `${p.id}-${e.id}` } : e.body,
    }));
    if (entries.length > 0) await importer.importEntries(SEEDER, p.id, entries);
  }
}
