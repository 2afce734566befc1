import { isChronicDailyHeader, parseChronicDiary } from './chronic-tsv.js';
import { parseDailyCsv, TRIGGER_DIARY_MAPPING, type DailyCsvMapping, type ImportedDiary } from './daily-csv.js';
import { ImportError } from './errors.js';
import { isMigraineBuddyExport, parseMigraineBuddy } from './migraine-buddy.js';
import { parseReliefJson } from './relief-json.js';

export const LAYOUTS = [
  'relief-json',
  'chronic-daily-tsv',
  'trigger-diary-csv',
  'migraine-buddy-csv',
  'daily-csv',
] as const;
export type Layout = (typeof LAYOUTS)[number];

/** Recognises a known layout from the file's first bytes and header; null when none fits. */
export function detectLayout(text: string): Layout | null {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('{')) return 'relief-json';
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  if (isChronicDailyHeader(firstLine)) return 'chronic-daily-tsv';
  if (isMigraineBuddyExport(body)) return 'migraine-buddy-csv';
  if (/^"?Date"?,"?Headache severity"?,/.test(firstLine)) return 'trigger-diary-csv';
  return null;
}

export interface ImportOptions {
  /** Overrides the detected layout. */
  layout?: Layout;
  /** Patient id and time zone for layouts that do not carry them. */
  patientId: string;
  timeZone: string;
  /** Column mapping for daily CSVs; fields given here override a known layout's. */
  mapping?: Partial<DailyCsvMapping>;
  /** events.tsv beside a chronic daily.tsv. */
  events?: { text: string; source: string };
}

export function importDiary(text: string, source: string, options: ImportOptions): ImportedDiary {
  const layout = options.layout ?? detectLayout(text);
  const patient = { id: options.patientId, timeZone: options.timeZone };
  switch (layout) {
    case 'relief-json':
      return { diary: parseReliefJson(text, source), layout, warnings: [] };
    case 'chronic-daily-tsv':
      return parseChronicDiary(text, source, patient, options.events);
    case 'migraine-buddy-csv':
      return parseMigraineBuddy(text, source, patient);
    case 'trigger-diary-csv':
      return parseDailyCsv(text, source, { ...TRIGGER_DIARY_MAPPING, ...options.mapping }, patient, layout);
    case 'daily-csv':
    case null: {
      const m = options.mapping ?? {};
      if (!m.dateColumn || !m.headacheColumn) {
        throw new ImportError(
          [
            {
              line: 1,
              field: 'layout',
              message: 'not a layout Relief recognises: name the columns with --date-column and --headache-column',
            },
          ],
          source,
        );
      }
      const mapping: DailyCsvMapping = {
        delimiter: m.delimiter ?? (text.split('\n', 1)[0]!.includes('\t') ? '\t' : ','),
        dateColumn: m.dateColumn,
        headacheColumn: m.headacheColumn,
        headache: m.headache ?? { kind: 'yes-no' },
        factorNoneValue: m.factorNoneValue ?? 0,
        ...(m.notesColumn ? { notesColumn: m.notesColumn } : {}),
        ...(m.factorColumns ? { factorColumns: m.factorColumns } : {}),
      };
      return parseDailyCsv(text, source, mapping, patient, 'daily-csv');
    }
  }
}
