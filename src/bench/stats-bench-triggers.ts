import { performance } from 'node:perf_hooks';
import { analyzeDiary } from '../domain/analysis.js';
import { DEFAULT_CONFIG } from '../domain/config.js';
import { deriveDays } from '../domain/days.js';
import { localDateAt } from '../domain/time.js';
import { analyzeTriggers } from '../domain/triggers.js';
import { generateTriggerDiary, type SyntheticFactor } from '../synthetic/trigger-diary-generator.js';

/**
 * The personal trigger analysis of a seeded 365-day diary with 30 factors (22 yes/no, 6 ordinal
 * and 2 numbers of hours, which are analysed as "low" and "high": 32 analysed factors, each at lag
 * 1 and lag 0). Timed: `analyzeTriggers` from the derived days (at-risk days, exposures, 64 Firth
 * fits with profile intervals, BH), and the whole `analyzeDiary` for context.
 * Target: median under 20 ms after warm-up.
 */

const WARM_UP_RUNS = 20;
const TIMED_RUNS = 100;
const TARGET_MS = 20;
const NOW = Date.parse('2025-06-01T12:00:00Z');

const FACTORS: SyntheticFactor[] = [
  ...Array.from({ length: 22 }, (_, i) => ({
    name: `yes-no ${i + 1}`,
    kind: 'yes-no' as const,
    prevalence: 0.05 + (i % 8) * 0.05,
    oddsRatio: i < 3 ? 2.5 : 1,
  })),
  ...Array.from({ length: 6 }, (_, i) => ({
    name: `ordinal ${i + 1}`,
    kind: 'ordinal' as const,
    prevalence: 0.15 + i * 0.05,
    oddsRatio: i === 0 ? 2 : 1,
  })),
  { name: 'sleep hours', kind: 'hours', prevalence: 0.15, oddsRatio: 2 },
  { name: 'screen hours', kind: 'hours', prevalence: 0.2, oddsRatio: 1 },
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function time(run: () => number): { median: number; p95: number; min: number; sink: number } {
  let sink = 0;
  for (let i = 0; i < WARM_UP_RUNS; i++) sink += run();
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const t0 = performance.now();
    sink += run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95), min: times[0]!, sink };
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;

export async function benchTriggerAnalysis(): Promise<void> {
  const diary = generateTriggerDiary({ seed: 365, startDate: '2024-01-01', days: 365, factors: FACTORS });
  const asOf = localDateAt(NOW, diary.patient.timeZone);
  const days = deriveDays(diary, DEFAULT_CONFIG, NOW);
  const first = analyzeTriggers(diary, days, asOf, DEFAULT_CONFIG.triggers);
  const fits = first.triggers.filter((t) => t.p !== null).length;

  const triggers = time(() => analyzeTriggers(diary, days, asOf, DEFAULT_CONFIG.triggers).triggers.length);
  const whole = time(() => analyzeDiary(diary, { now: NOW }).triggers.length);

  console.log('Personal trigger analysis');
  console.log(
    `diary: 365 days, ${FACTORS.length} factors (${first.summary.factors.length} analysed), ` +
      `${first.summary.atRiskDays} days at risk, ${first.summary.onsets} onsets; ` +
      `${first.triggers.length} results, ${fits} Firth fits with a profile interval`,
  );
  console.log(`runs: ${WARM_UP_RUNS} warm-up, ${TIMED_RUNS} timed (node ${process.version})`);
  console.log(`analyzeTriggers: median ${ms(triggers.median)}  p95 ${ms(triggers.p95)}  min ${ms(triggers.min)}`);
  console.log(`analyzeDiary (all of it): median ${ms(whole.median)}  p95 ${ms(whole.p95)}  min ${ms(whole.min)}`);
  console.log(
    `target: trigger analysis median under ${TARGET_MS} ms: ${triggers.median < TARGET_MS ? 'met' : 'NOT MET'}`,
  );
  if (triggers.sink + whole.sink < 0) console.log('unreachable');
}
