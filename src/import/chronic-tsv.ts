import { diarySchema, type DailyRecord, type MedicationIntake } from '../domain/diary.js';
import { classOfDrug } from '../domain/medications.js';
import { isValidLocalDate } from '../domain/time.js';
import { parseDelimited, withHeader } from './csv.js';
import type { ImportedDiary } from './daily-csv.js';
import { ImportError, type ImportProblem } from './errors.js';

/**
 * The hourly-resolution chronic migraine log (bitmask/migraine-plots): `daily.tsv` has one row per
 * drug taken per day with the day's headache hours and peak pain; `events.tsv`, when given,
 * holds timestamped events.
 *
 * Import rules:
 * - A day in daily.tsv is a headache day when its hours are above 0; its pain (the person's own
 *   2–9 scale) is read as a 0–10 rating; its drugs become acute medication intakes.
 * - A day is recorded when it is in daily.tsv or has any event in events.tsv. A day with a pain
 *   level or a symptom event but no row in daily.tsv had no pain logged: it is read as
 *   headache-free. A day with only doses or preventive changes says nothing about pain, so it
 *   carries its medications without a headache-free confirmation. A day in neither file is
 *   "no entry", never "no headache".
 * - Events "Aura…" mark aura on the day, "Nauseous" nausea.
 * - Drugs come from daily.tsv; on a day it lacks, from dose events ("40mg eletriptan"), so that
 *   no medication the person logged is lost. Preventive changes are not acute medication.
 * - Unrecognised drugs import as class "other" and are named in the warnings.
 */
export const CHRONIC_DAILY_HEADER = ['day', 'hours', 'pain', 'drug', 'mg'];

export function isChronicDailyHeader(firstLine: string): boolean {
  return firstLine.trim().split('\t').join(',') === CHRONIC_DAILY_HEADER.join(',');
}

/** "40mg eletriptan", "10mg rizatriptan and ibuprofen": a dose taken. */
const DOSE_EVENT = /^(\d+(?:\.\d+)?)\s*mg\s+(.+)$/i;

function intake(name: string, mg: number, unknownDrugs: Set<string>): MedicationIntake {
  const cls = classOfDrug(name);
  if (!cls) unknownDrugs.add(name);
  return { name, class: cls ?? 'other', ...(mg > 0 ? { doseMg: mg } : {}) };
}

interface DayRow {
  hours: number;
  pain: number;
  drugs: MedicationIntake[];
}

export function parseChronicDiary(
  dailyText: string,
  source: string,
  patient: { id: string; timeZone: string },
  events?: { text: string; source: string },
): ImportedDiary {
  const problems: ImportProblem[] = [];
  const warnings: string[] = [];
  const unknownDrugs = new Set<string>();
  const days = new Map<string, DayRow>();
  const { records } = withHeader(parseDelimited(dailyText, '\t'));

  for (const r of records) {
    const date = (r.get('day') ?? '').trim();
    const hours = Number(r.get('hours'));
    const pain = Number(r.get('pain'));
    if (!isValidLocalDate(date)) problems.push({ line: r.line, field: 'day', message: `"${date}" is not a date` });
    else if (!Number.isFinite(hours) || hours < 0 || hours > 24) {
      problems.push({ line: r.line, field: 'hours', message: `"${r.get('hours')}" is not 0–24 hours` });
    } else if (!Number.isFinite(pain) || pain < 0) {
      problems.push({ line: r.line, field: 'pain', message: `"${r.get('pain')}" is not a pain rating` });
    } else {
      // The person's own scale mostly runs 2–9; a rare value above 10 is read as 10 and named.
      if (pain > 10) warnings.push(`line ${r.line}: pain ${pain} is above 10 and was read as 10`);
      const row = days.get(date) ?? { hours: 0, pain: 0, drugs: [] };
      row.hours = Math.max(row.hours, hours);
      row.pain = Math.max(row.pain, Math.min(pain, 10));
      const drug = (r.get('drug') ?? '').trim();
      if (drug !== '') row.drugs.push(intake(drug, Number(r.get('mg')), unknownDrugs));
      days.set(date, row);
    }
  }

  const aura = new Set<string>();
  const nausea = new Set<string>();
  const eventDays = new Set<string>();
  const eventDoses = new Map<string, Array<{ name: string; mg: number }>>();
  /** Days on which an event spoke of pain or symptoms, not only of a drug. */
  const painLoggedDays = new Set<string>();
  if (events) {
    for (const r of parseDelimited(events.text, '\t')) {
      const date = (r.cells[0] ?? '').slice(0, 10);
      const what = (r.cells[1] ?? '').trim();
      if (!isValidLocalDate(date)) {
        problems.push({
          line: r.line,
          field: 'time',
          message: `"${r.cells[0]}" is not a date-time (${events.source})`,
        });
        continue;
      }
      eventDays.add(date);
      if (/^aura\b/i.test(what)) aura.add(date);
      if (/^nause/i.test(what)) nausea.add(date);
      const dose = DOSE_EVENT.exec(what);
      if (!dose && !/preventative$|^cannabis$/i.test(what)) painLoggedDays.add(date);
      if (dose && !/preventative$/i.test(what)) {
        const list = eventDoses.get(date) ?? [];
        // The dose belongs to the first drug named; the others' doses are unknown.
        dose[2]!
          .split(/\s+and\s+/)
          .forEach((name, i) => list.push({ name: name.trim(), mg: i === 0 ? Number(dose[1]) : 0 }));
        eventDoses.set(date, list);
      }
    }
  }
  if (problems.length > 0) throw new ImportError(problems, source);
  if (unknownDrugs.size > 0)
    warnings.push(`drugs of unknown class, counted as "other": ${[...unknownDrugs].join(', ')}`);
  if (!events) {
    warnings.push('no events.tsv beside daily.tsv: days without pain are counted as not recorded');
  }

  const dailyRecords: DailyRecord[] = [];
  for (const date of [...new Set([...days.keys(), ...eventDays])].sort()) {
    const row = days.get(date);
    const record: DailyRecord = { date };
    if (row && row.hours > 0) record.headache = { peakIntensity: row.pain, hours: row.hours };
    else if (row || painLoggedDays.has(date)) record.noHeadache = true;
    const drugs = row ? row.drugs : (eventDoses.get(date) ?? []).map((d) => intake(d.name, d.mg, unknownDrugs));
    if (drugs.length > 0) record.medications = drugs;
    if (aura.has(date)) record.aura = true;
    if (nausea.has(date)) record.nausea = true;
    dailyRecords.push(record);
  }
  const diary = diarySchema.parse({
    format: 'relief-diary',
    version: 1,
    patient: { id: patient.id, timeZone: patient.timeZone, conditions: ['migraine'] },
    dailyRecords,
  });
  return { diary, layout: events ? 'chronic-daily-tsv+events' : 'chronic-daily-tsv', warnings };
}
