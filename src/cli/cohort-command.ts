import { Command, Option } from 'commander';
import { HEADACHE_TYPES, type CohortWindowSummary } from '../domain/cohort.js';
import {
  COHORT_GROUP_BY,
  DEFAULT_STATISTICS_WINDOW,
  type CohortStatistics,
  type CohortStatisticsReport,
  type DurabilityGroup,
  type WindowStatistics,
} from '../domain/cohort-stats.js';
import { isValidLocalDate } from '../domain/time.js';
import { COHORT_WINDOW_IDS, cohortFilterSchema, cohortStatisticsOptionsSchema } from '../services/cohort-service.js';
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
  groupBy?: string;
  window?: string;
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

/** The statistics options; a bad window is a usage error naming --window. */
export function cohortStatisticsOptions(raw: RawOptions): { groupBy: string; window: string } {
  const parsed = cohortStatisticsOptionsSchema.safeParse({ groupBy: raw.groupBy, window: raw.window });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${issue.path[0] === 'window' ? '--window' : '--group-by'}: ${issue.message}`);
  }
  return parsed.data;
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

const percent = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
const range = (lower: number | null, upper: number | null, show: (x: number | null) => string): string =>
  lower === null && upper === null ? '' : ` (${show(lower)} to ${show(upper)})`;
const days = (x: number | null): string => (x === null ? 'not reached' : `${n(x)}`);
/** A confidence level in per cent, to a tenth where needed (0.95 → "95 %", 0.998 → "99.8 %"). */
const percentLevel = (level: number): string => `${Math.round(level * 1000) / 10} %`;
const p = (x: number | null): string => (x === null ? '–' : x < 0.0001 ? '< 0.0001' : x.toFixed(4));

/**
 * A window's key figures: the 50 % responder rate and the median MMD change, with intervals; a
 * Hodges–Lehmann interval below the statistics' level (too few differences) says its own.
 */
function statisticsLine(w: WindowStatistics, level: number): string {
  const r = w.responders.find((x) => x.threshold === 50)!;
  const c = w.mmdChange;
  const hlLevel =
    c.hodgesLehmannLevel === null || c.hodgesLehmannLevel === level ? '' : ` at ${percentLevel(c.hodgesLehmannLevel)}`;
  return [
    w.label.padEnd(10),
    `≥50 % responders ${n(r.x)}/${n(r.n)} ${percent(r.rate)}${range(r.lower, r.upper, percent)}`,
    `MMD change median ${num(c.median)}, Hodges–Lehmann ${num(c.hodgesLehmann)}` +
      `${range(c.hodgesLehmannLower, c.hodgesLehmannUpper, num)}${hlLevel}, Wilcoxon p ${p(c.wilcoxonP)}`,
  ].join('  ');
}

function durabilityLine(g: DurabilityGroup): string {
  const median = g.n === 0 ? 'no responders' : `median ${days(g.median)}${range(g.medianLower, g.medianUpper, days)}`;
  return `${g.group.padEnd(10)}  ${n(g.n)} responders, ${n(g.events)} relapses, ${median}`;
}

function statisticsLines(s: CohortStatistics): string[] {
  const level = percentLevel(s.level);
  const window = s.windows.find((w) => w.visitId === s.window)?.label ?? s.window;
  const d = s.durability;
  const m = s.predictors;
  const predictors =
    m.refused !== null
      ? [`  ${m.refused}`]
      : m.terms.map(
          (t) =>
            `  ${t.predictor.padEnd(26)} OR ${num(t.oddsRatio)}${range(t.lower, t.upper, num)}, p ${p(t.p)}  (${t.description})`,
        );
  return [
    `Responders and MMD change from baseline (${level} intervals):`,
    ...s.windows.map((w) => statisticsLine(w, s.level)),
    `Durability: days from the procedure to relapse among responders${d.groupBy === 'none' ? '' : ` by ${d.groupBy}`}:`,
    ...d.groups.map(durabilityLine),
    ...(d.logRankP === null ? [] : [`log-rank p ${p(d.logRankP)}`]),
    `Predictors of ≥50 % response at ${window} (Firth logistic regression, ${n(m.n)} procedures, ${n(m.nDropped)} ` +
      'dropped for missing values):',
    ...predictors,
  ];
}

export function formatCohort(report: CohortStatisticsReport): string {
  const filter = Object.entries(report.filter)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join('; ');
  return [
    `Cohort of ${n(report.n)} procedures on ${report.asOf}${filter ? ` (${filter})` : ''}, de-identified:`,
    ...report.windows.map(windowLine),
    ...statisticsLines(report.statistics),
  ].join('\n');
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function cohortCommand(): Command {
  return new Command('cohort')
    .description(
      'de-identified cohort of procedures on the configured database: per follow-up window n, n with sufficient ' +
        'diary, MMD change, responders and complications by grade; responder rates and changes with intervals, ' +
        'durability, and the predictors of response',
    )
    .option(
      '--json',
      'print the whole result (windows[], one de-identified row per procedure in patients[], statistics computed from them)',
    )
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
    .addOption(
      new Option('--group-by <grouping>', 'durability curves per group (default: none, the whole cohort)').choices(
        COHORT_GROUP_BY,
      ),
    )
    .option(
      '--window <visit>',
      `window of the group comparisons, predictors and funnels: ${COHORT_WINDOW_IDS.join(', ')} ` +
        `(default ${DEFAULT_STATISTICS_WINDOW})`,
    )
    .action(async (raw: RawOptions) => {
      const filter = cohortFilter(raw);
      const statistics = cohortStatisticsOptions(raw);
      if (raw.today !== undefined && !isValidLocalDate(raw.today)) {
        throw new UsageError(`--today: must be a date YYYY-MM-DD, not "${raw.today}"`);
      }
      const report = await withServices((services) =>
        services.cohort.cohort(OPERATOR, filter, {
          ...statistics,
          ...(raw.today !== undefined && { today: raw.today }),
        }),
      );
      process.stdout.write(raw.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCohort(report)}\n`);
    });
}
