import { diarySchema, type Attack, type MedicationIntake } from '../domain/diary.js';
import { classOfDrug, type MedicationEffect } from '../domain/medications.js';
import { parseDelimited, type CsvRow } from './csv.js';
import type { ImportedDiary } from './daily-csv.js';
import { ImportError, type ImportProblem } from './errors.js';

/**
 * Migraine Buddy's CSV export: a block of ongoing events, a blank line, then one row per attack
 * ("Started" as M/D/YY H:MM local time, "Lasted" as "01h 00m", UTC offsets in minutes east of
 * UTC, comma-separated lists of symptoms, pain positions and medications by helpfulness).
 *
 * Migraine Buddy records attacks only, so only the days that attacks cover are recorded days.
 */
export function isMigraineBuddyExport(text: string): boolean {
  return /^\uFEFF?"?Date"?,"?Time Period"?,"?Description"?/.test(text) && text.includes('"Started"');
}

const EFFECT_COLUMNS: Array<[string, MedicationEffect | undefined]> = [
  ['Helpful Medication', 'good'],
  ['Somewhat Helpful Medication', 'some'],
  ['Unhelpful Medication', 'none'],
  ['Unsure Medication', undefined],
];

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "11/16/24 13:12" with an offset in minutes → ISO instant text. */
function startInstant(started: string, offsetMinutes: number): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2})$/.exec(started.trim());
  if (!m) return null;
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const pad = (s: string) => s.padStart(2, '0');
  return `${year}-${pad(m[1]!)}-${pad(m[2]!)}T${pad(m[4]!)}:${m[5]}:00${offsetText(offsetMinutes)}`;
}

/** "2d 03h 15m", "01h 00m" → minutes. */
function lastedMinutes(lasted: string): number | null {
  const parts = [...lasted.matchAll(/(\d+)\s*([dhm])/g)];
  if (parts.length === 0) return null;
  const unit = { d: 1440, h: 60, m: 1 } as const;
  return parts.reduce((s, p) => s + Number(p[1]) * unit[p[2] as 'd' | 'h' | 'm'], 0);
}

/** Wall-clock end at the end offset, from the start instant and the duration. */
function endInstant(start: string, minutes: number, endOffset: number): string {
  const ms = Date.parse(start) + minutes * 60_000 + endOffset * 60_000;
  return `${new Date(ms).toISOString().slice(0, 19)}${offsetText(endOffset)}`;
}

const list = (cell: string | undefined): string[] =>
  (cell ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function sitesOf(positions: string[]): { side?: Attack['side']; sites?: NonNullable<Attack['sites']> } {
  if (positions.length === 0) return {};
  const left = positions.some((p) => /^left/i.test(p));
  const right = positions.some((p) => /^right/i.test(p));
  const sites = new Set<NonNullable<Attack['sites']>[number]>();
  for (const p of positions) {
    if (/back of head|neck/i.test(p)) sites.add('occipital');
    else if (/temple/i.test(p)) sites.add('temporal');
    else if (/forehead|brow/i.test(p)) sites.add('frontal');
    else if (/nose|sinus/i.test(p)) sites.add('nasal');
    else if (/ear/i.test(p)) sites.add('auriculotemporal');
    else sites.add('other');
  }
  const side = left && right ? 'bilateral' : left ? 'left' : right ? 'right' : undefined;
  return { ...(side ? { side } : {}), sites: [...sites] };
}

export function parseMigraineBuddy(
  text: string,
  source: string,
  patient: { id: string; timeZone: string },
): ImportedDiary {
  const rows = parseDelimited(text, ',');
  const headerAt = rows.findIndex((r) => r.cells[1] === 'Started');
  if (headerAt < 0) throw new ImportError([{ line: null, field: 'Started', message: 'no attack table found' }], source);
  const header = rows[headerAt]!.cells;
  const col = (r: CsvRow, name: string): string | undefined => {
    const i = header.indexOf(name);
    return i < 0 ? undefined : r.cells[i];
  };
  const problems: ImportProblem[] = [];
  const unknownDrugs = new Set<string>();
  const attacks: Attack[] = [];

  for (const r of rows.slice(headerAt + 1)) {
    const startOffset = Number(col(r, 'Start UTC Offset (min)') ?? 0);
    const endOffset = Number(col(r, 'End UTC Offset (min)') || startOffset);
    const start = startInstant(col(r, 'Started') ?? '', startOffset);
    if (!start) {
      problems.push({ line: r.line, field: 'Started', message: `"${col(r, 'Started')}" is not M/D/YY H:MM` });
      continue;
    }
    const lasted = col(r, 'Lasted') ?? '';
    const minutes = lasted.trim() === '' ? null : lastedMinutes(lasted);
    if (lasted.trim() !== '' && minutes === null) {
      problems.push({ line: r.line, field: 'Lasted', message: `"${lasted}" is not a duration like 01h 30m` });
      continue;
    }
    const pain = Number(col(r, 'Pain Level'));
    const symptoms = list(col(r, 'Symptoms')).map((s) => s.toLowerCase());
    const has = (re: RegExp): boolean | undefined =>
      symptoms.length === 0 ? undefined : symptoms.some((s) => re.test(s));
    const medications: MedicationIntake[] = [];
    for (const [column, effect] of EFFECT_COLUMNS) {
      for (const entry of list(col(r, column))) {
        if (/^no medication$/i.test(entry)) continue;
        const name = entry.replace(/\s*\d.*$/, '').trim() || entry;
        const cls = classOfDrug(name) ?? classOfDrug(name.split(' ')[0]!);
        if (!cls) unknownDrugs.add(name);
        medications.push({ name, class: cls ?? 'other', ...(effect ? { effect } : {}) });
      }
    }
    const attack: Attack = {
      id: `migraine-buddy-${col(r, '#') ?? r.line}`,
      start,
      ...(minutes !== null ? { end: endInstant(start, minutes, endOffset) } : {}),
      ...(Number.isFinite(pain) && col(r, 'Pain Level') !== '' ? { peakIntensity: pain } : {}),
      ...sitesOf(list(col(r, 'Pain Positions'))),
      ...(has(/throbbing|pulsating/) ? { quality: ['pulsating' as const] } : {}),
      nausea: has(/nausea/),
      vomiting: has(/vomit/),
      photophobia: has(/sensitivity to light/),
      phonophobia: has(/sensitivity to (noise|sound)/),
      osmophobia: has(/sensitivity to smell/),
      triggers: list(col(r, 'Potential Triggers')),
      premonitory: list(col(r, 'Premonitory Symptoms')),
      activitiesAffected: list(col(r, 'Affected Activities')),
      medications,
      ...(col(r, 'Notes') ? { notes: col(r, 'Notes') } : {}),
    };
    attacks.push(attack);
  }
  if (problems.length > 0) throw new ImportError(problems, source);
  const warnings =
    unknownDrugs.size > 0 ? [`drugs of unknown class, counted as "other": ${[...unknownDrugs].join(', ')}`] : [];
  warnings.push('Migraine Buddy exports attacks only: days without an attack count as not recorded');
  const diary = diarySchema.parse({
    format: 'relief-diary',
    version: 1,
    patient: { id: patient.id, timeZone: patient.timeZone, conditions: ['migraine'] },
    attacks,
  });
  return { diary, layout: 'migraine-buddy-csv', warnings };
}
