import { Command, Option } from 'commander';
import { HEADACHE_TYPES, type CohortReport, type CohortWindowSummary } from '../domain/cohort.js';
import { isValidLocalDate } from '../domain/time.js';
import { cohortFilterSchema } from '../services/cohort-service.js';
import { OPERATOR, withServices } from './server-context.js';
import { UsageError } from './usage-error.js';

interface RawOptions {
  json?: boolean;
  procedureType?: string;
  site?: string[];
  surgeon?: string;
  from?: string;
  to?: string;
  condition?: string;
  headacheType?: string;
  today?: string;
}

/** The option that sets each filter field, for error messages. */
const OPTION_OF: Record<string, string> = {
  procedureType: '--procedure-type',
  siteIds: '--site',
  surgeon: '--surgeon',
  from: '--from',
  to: '--to',
  condition: '--condition',
  headacheType: '--headache-type',
};

/** The service's filter from the options; a bad value is a usage error naming its option. */
export function cohortFilter(raw: RawOptions): Record<string, unknown> {
  const filter = {
    procedureType: raw.procedureType,
    siteIds: raw.site?.flatMap((s) => s.split(',')).map((s) => s.trim()),
    surgeon: raw.surgeon,
    from: raw.from,
    to: raw.to,
    condition: raw.condition,
    headacheType: raw.headacheType,
  };
  const parsed = cohortFilterSchema.safeParse(filter);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = OPTION_OF[String(issue.path[0])] ?? 'options';
    throw new UsageError(`${option}: ${issue.message}`);
  }
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
}

const n = (x: number): string => x.toLocaleString('en-GB');
const num = (x: number | null): string => (x === null ? '–' : x.toFixed(2));

function windowLine(w: CohortWindowSummary): string {
  const complications = Object.entries(w.complications)
    .filter(([, k]) => k > 0)
    .map(([grade, k]) => `${grade} ${k}`);
  return [
    w.label.padEnd(10),
    `n ${n(w.n).padStart(5)}`,
    `sufficient ${n(w.nSufficient).padStart(5)}`,
    `MMD change mean ${num(w.mmdChange.mean).padStart(6)} median ${num(w.mmdChange.median).padStart(6)}`,
    `responders ≥50 % ${n(w.responders['50'])}, ≥75 % ${n(w.responders['75'])}, 100 % ${n(w.responders['100'])}`,
    `complications ${complications.length > 0 ? complications.join(', ') : 'none'}`,
  ].join('  ');
}

export function formatCohort(report: CohortReport): string {
  const filter = Object.entries(report.filter)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join('; ');
  return [
    `Cohort of ${n(report.n)} procedures on ${report.asOf}${filter ? ` (${filter})` : ''}, de-identified:`,
    ...report.windows.map(windowLine),
  ].join('\n');
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function cohortCommand(): Command {
  return new Command('cohort')
    .description(
      'de-identified cohort of procedures on the configured database: per follow-up window n, n with sufficient ' +
        'diary, MMD change, responders and complications by grade',
    )
    .option('--json', 'print the whole result (windows[] and one de-identified row per procedure in patients[])')
    .option('--procedure-type <type>', 'procedure type, e.g. fat-transfer')
    .option('--site <id>', 'site where the procedure was done (repeatable, or ids separated by commas)', collect)
    .option('--surgeon <code>', "surgeon's code")
    .option('--from <date>', 'procedures on or after this date, YYYY-MM-DD')
    .option('--to <date>', 'procedures on or before this date, YYYY-MM-DD')
    .option('--condition <condition>', 'one of the patient’s conditions, e.g. occipital-neuralgia')
    .addOption(
      new Option('--headache-type <type>', 'from the baseline period (chronic: ≥15 headache days per 28)').choices(
        HEADACHE_TYPES,
      ),
    )
    .option('--today <date>', 'compute the cohort as on this day, YYYY-MM-DD (default: today, UTC)')
    .action(async (raw: RawOptions) => {
      const filter = cohortFilter(raw);
      if (raw.today !== undefined && !isValidLocalDate(raw.today)) {
        throw new UsageError(`--today: must be a date YYYY-MM-DD, not "${raw.today}"`);
      }
      const report = await withServices((services) =>
        services.cohort.cohort(OPERATOR, filter, raw.today === undefined ? {} : { today: raw.today }),
      );
      process.stdout.write(raw.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCohort(report)}\n`);
    });
}
