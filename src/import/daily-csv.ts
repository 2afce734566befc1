import { diarySchema, type DailyRecord, type Diary } from '../domain/diary.js';
import { INTENSITY_LEVELS, type IntensityLevel } from '../domain/intensity.js';
import { isValidLocalDate } from '../domain/time.js';
import { parseDelimited, withHeader } from './csv.js';
import { ImportError, type ImportProblem } from './errors.js';

/**
 * A diary kept as one row per day: a date, a headache column and factor columns.
 * The mapping says which column is which and how the headache column reads.
 */
export interface DailyCsvMapping {
  delimiter: ',' | '\t';
  dateColumn: string;
  headacheColumn: string;
  headache: HeadacheReading;
  notesColumn?: string;
  /** Factor columns; absent means every column that is not the date, headache or notes. */
  factorColumns?: string[];
  /** The value that means "none" on the factors' ordinal scale; it is read as 0. */
  factorNoneValue: number;
}

export type HeadacheReading =
  { kind: 'yes-no' } | { kind: 'nrs' } | { kind: 'levels'; levels: Record<string, IntensityLevel> };

export interface ImportedDiary {
  diary: Diary;
  layout: string;
  warnings: string[];
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/** Parses "0=none,1=mild,2=moderate" into a severity reading. */
export function parseSeverityMap(text: string): Record<string, IntensityLevel> {
  const levels: Record<string, IntensityLevel> = {};
  for (const pair of text.split(',')) {
    const [code, level] = pair.split('=').map((s) => s.trim());
    if (!code || !level || !(INTENSITY_LEVELS as readonly string[]).includes(level)) {
      throw new Error(`severity map entry "${pair}" must be CODE=${INTENSITY_LEVELS.join('|')}`);
    }
    levels[code] = level as IntensityLevel;
  }
  return levels;
}

function readHeadache(raw: string, reading: HeadacheReading): { level?: IntensityLevel; nrs?: number } | string {
  const v = raw.trim();
  switch (reading.kind) {
    case 'yes-no':
      if (YES.has(v.toLowerCase())) return {};
      if (NO.has(v.toLowerCase())) return { level: 'none' };
      return `"${raw}" is not yes or no`;
    case 'nrs': {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n) || n < 0 || n > 10) return `"${raw}" is not a number from 0 to 10`;
      return { nrs: n };
    }
    case 'levels': {
      const level = reading.levels[v];
      if (level === undefined) return `"${raw}" is not one of ${Object.keys(reading.levels).join(', ')}`;
      return { level };
    }
  }
}

function readFactor(raw: string, noneValue: number): boolean | number | undefined | string {
  const v = raw.trim();
  if (v === '') return undefined;
  const lower = v.toLowerCase();
  if (lower === 'yes' || lower === 'true') return true;
  if (lower === 'no' || lower === 'false') return false;
  const n = Number(v);
  if (!Number.isFinite(n)) return `"${raw}" is not a number or yes/no`;
  return n - noneValue;
}

export function parseDailyCsv(
  text: string,
  source: string,
  mapping: DailyCsvMapping,
  patient: { id: string; timeZone: string },
  layout = 'daily-csv',
): ImportedDiary {
  const { header, records } = withHeader(parseDelimited(text, mapping.delimiter));
  const problems: ImportProblem[] = [];
  for (const column of [mapping.dateColumn, mapping.headacheColumn, ...(mapping.factorColumns ?? [])]) {
    if (!header.includes(column)) {
      problems.push({ line: 1, field: column, message: `no such column (columns: ${header.join(', ')})` });
    }
  }
  if (problems.length > 0) throw new ImportError(problems, source);

  const reserved = new Set([mapping.dateColumn, mapping.headacheColumn, mapping.notesColumn]);
  const factorColumns = mapping.factorColumns ?? header.filter((h) => h !== '' && !reserved.has(h));
  const seen = new Map<string, number>();
  const dailyRecords: DailyRecord[] = [];

  for (const r of records) {
    const date = (r.get(mapping.dateColumn) ?? '').trim();
    if (!isValidLocalDate(date)) {
      problems.push({ line: r.line, field: mapping.dateColumn, message: `"${date}" is not a date as YYYY-MM-DD` });
      continue;
    }
    const earlier = seen.get(date);
    if (earlier !== undefined) {
      problems.push({ line: r.line, field: mapping.dateColumn, message: `${date} is already on line ${earlier}` });
      continue;
    }
    seen.set(date, r.line);
    const headache = readHeadache(r.get(mapping.headacheColumn) ?? '', mapping.headache);
    if (typeof headache === 'string') {
      problems.push({ line: r.line, field: mapping.headacheColumn, message: headache });
      continue;
    }
    const record: DailyRecord = { date };
    if (headache.level === 'none' || headache.nrs === 0) record.noHeadache = true;
    else record.headache = { peakIntensity: headache.nrs, intensityLevel: headache.level };
    const factors: Record<string, boolean | number> = {};
    for (const column of factorColumns) {
      const value = readFactor(r.get(column) ?? '', mapping.factorNoneValue);
      if (typeof value === 'string') problems.push({ line: r.line, field: column, message: value });
      else if (value !== undefined) factors[column] = value;
    }
    if (Object.keys(factors).length > 0) record.factors = factors;
    const notes = mapping.notesColumn ? r.get(mapping.notesColumn)?.trim() : undefined;
    if (notes) record.notes = notes;
    dailyRecords.push(record);
  }
  if (problems.length > 0) throw new ImportError(problems, source);

  dailyRecords.sort((a, b) => (a.date < b.date ? -1 : 1));
  const diary = diarySchema.parse({
    format: 'relief-diary',
    version: 1,
    patient: { id: patient.id, timeZone: patient.timeZone, conditions: ['migraine'] },
    dailyRecords,
  });
  return { diary, layout, warnings: [] };
}

/**
 * The daily trigger diary layout (Date, Headache severity 0/1/2, Notes, 24 factors on 1–4 where
 * 1 = none). Severity 1 is read as mild and 2 as moderate: the diary does not define its scale,
 * so 2 is not assumed to be severe; `--severity-map` overrides.
 */
export const TRIGGER_DIARY_MAPPING: DailyCsvMapping = {
  delimiter: ',',
  dateColumn: 'Date',
  headacheColumn: 'Headache severity',
  headache: { kind: 'levels', levels: { '0': 'none', '1': 'mild', '2': 'moderate' } },
  notesColumn: 'Notes',
  factorNoneValue: 1,
};
