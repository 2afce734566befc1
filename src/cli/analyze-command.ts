import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { analyzeDiary } from '../domain/analysis.js';
import { DEFAULT_TRIGGER_CONFIG } from '../domain/config.js';
import { INTENSITY_LEVELS } from '../domain/intensity.js';
import { instantSchema, localDateSchema, timeZoneSchema } from '../domain/primitives.js';
import { parseSeverityMap, type DailyCsvMapping } from '../import/daily-csv.js';
import { importDiary, LAYOUTS } from '../import/import-diary.js';
import { formatSummary } from './summary.js';
import { UsageError } from './usage-error.js';

const optionsSchema = z.object({
  json: z.boolean().optional(),
  layout: z.enum(LAYOUTS).optional(),
  referenceDate: localDateSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  patientId: z.string().min(1).optional(),
  now: instantSchema.optional(),
  events: z.union([z.string().min(1), z.literal(false)]).optional(),
  dateColumn: z.string().min(1).optional(),
  headacheColumn: z.string().min(1).optional(),
  headacheScale: z.enum(['yes-no', 'nrs', 'levels']).optional(),
  severityMap: z.string().min(1).optional(),
  factorColumns: z.string().min(1).optional(),
  factorNone: z.coerce.number().optional(),
  notesColumn: z.string().min(1).optional(),
  delimiter: z.enum(['comma', 'tab']).optional(),
  migraineMinMinutes: z.coerce
    .number()
    .min(0)
    .max(72 * 60)
    .optional(),
  compliance: z.coerce.number().min(0).max(1).optional(),
  adjustMenstruation: z.boolean().optional(),
});

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description(
      'analyse a diary file offline: months, 28-day periods, ICHD-3 classification, medication overuse, personal triggers',
    )
    .argument('<file>', 'a Relief JSON diary, or a known CSV/TSV layout, or a daily CSV with a column mapping')
    .option('--json', 'print the full result as JSON')
    .addOption(new Option('--layout <layout>', 'override the recognised layout').choices(LAYOUTS))
    .option('--reference-date <date>', 'anchor 28-day periods and outcomes here, e.g. a procedure date (YYYY-MM-DD)')
    .option('--time-zone <zone>', "the patient's IANA time zone for layouts without one (default: this machine's)")
    .option('--patient-id <id>', 'patient id for layouts without one (default: the file name)')
    .option('--now <instant>', 'analyse as of this moment (ISO date-time with offset) instead of now')
    .option('--events <file>', 'events.tsv for the chronic daily layout (default: the one beside the file)')
    .option('--no-events', 'ignore events.tsv beside a chronic daily file')
    .option('--date-column <name>', 'daily CSV: the date column (YYYY-MM-DD)')
    .option('--headache-column <name>', 'daily CSV: the headache column')
    .addOption(
      new Option('--headache-scale <scale>', 'daily CSV: how the headache column reads').choices([
        'yes-no',
        'nrs',
        'levels',
      ]),
    )
    .option(
      '--severity-map <map>',
      `daily CSV: severity codes, e.g. "0=none,1=mild,2=moderate" (${INTENSITY_LEVELS.join('|')})`,
    )
    .option('--factor-columns <names>', 'daily CSV: comma-separated factor columns (default: all other columns)')
    .option('--factor-none <value>', 'daily CSV: the value meaning "none" on ordinal factor columns (default 0)')
    .option('--notes-column <name>', 'daily CSV: the notes column')
    .addOption(new Option('--delimiter <delimiter>', 'daily CSV: the delimiter').choices(['comma', 'tab']))
    .option('--migraine-min-minutes <n>', 'minimum attack duration for a migraine day (default 30)')
    .option('--compliance <fraction>', 'minimum share of recorded days for a rate (default 0.8)')
    .option('--adjust-menstruation', 'adjust the personal trigger analysis for perimenstrual days')
    .action((file: string, raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new UsageError(
          parsed.error.issues
            .map((i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`)
            .join('\n'),
        );
      }
      const o = parsed.data;
      if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
      const text = readFileSync(file, 'utf8');
      if (typeof o.events === 'string' && !existsSync(o.events))
        throw new UsageError(`--events: ${o.events}: no such file`);
      const eventsPath = o.events === false ? null : (o.events ?? join(dirname(file), 'events.tsv'));
      const events =
        eventsPath && existsSync(eventsPath) && basename(eventsPath) !== basename(file)
          ? { text: readFileSync(eventsPath, 'utf8'), source: eventsPath }
          : undefined;

      const mapping: Partial<DailyCsvMapping> = {
        ...(o.dateColumn ? { dateColumn: o.dateColumn } : {}),
        ...(o.headacheColumn ? { headacheColumn: o.headacheColumn } : {}),
        ...(o.notesColumn ? { notesColumn: o.notesColumn } : {}),
        ...(o.factorColumns ? { factorColumns: o.factorColumns.split(',').map((s) => s.trim()) } : {}),
        ...(o.factorNone !== undefined ? { factorNoneValue: o.factorNone } : {}),
        ...(o.delimiter ? { delimiter: o.delimiter === 'tab' ? '\t' : ',' } : {}),
      };
      if (o.severityMap) {
        try {
          mapping.headache = { kind: 'levels', levels: parseSeverityMap(o.severityMap) };
        } catch (e) {
          throw new UsageError(`--severity-map: ${(e as Error).message}`);
        }
      } else if (o.headacheScale === 'levels') {
        throw new UsageError('--headache-scale levels needs --severity-map');
      } else if (o.headacheScale) mapping.headache = { kind: o.headacheScale };

      const imported = importDiary(text, file, {
        ...(o.layout ? { layout: o.layout } : {}),
        patientId: o.patientId ?? basename(file),
        timeZone: o.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
        mapping,
        ...(events ? { events } : {}),
      });
      const analysis = analyzeDiary(imported.diary, {
        now: o.now ? Date.parse(o.now) : Date.now(),
        ...(o.referenceDate ? { referenceDate: o.referenceDate } : {}),
        config: {
          ...(o.migraineMinMinutes !== undefined ? { migraineDayMinMinutes: o.migraineMinMinutes } : {}),
          ...(o.compliance !== undefined ? { complianceThreshold: o.compliance } : {}),
          ...(o.adjustMenstruation ? { triggers: { ...DEFAULT_TRIGGER_CONFIG, adjustForMenstruation: true } } : {}),
        },
      });
      if (o.json) {
        const result = { source: file, layout: imported.layout, importWarnings: imported.warnings, ...analysis };
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatSummary(analysis, file, imported.layout, imported.warnings)}\n`);
      }
    });
}
