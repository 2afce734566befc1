import { performance } from 'node:perf_hooks';
import { analyzeDiary } from '../domain/analysis.js';
import { diarySchema } from '../domain/diary.js';
import { generateDiary } from '../synthetic/diary-generator.js';

/**
 * `npm run bench`: times analyzeDiary on a ten-year diary of a chronic patient, the largest
 * diary Relief expects to see. Target: median under 50 ms once the JIT has warmed up.
 */

const DAYS = 3650;
const WARM_UP_RUNS = 20;
const TIMED_RUNS = 100;
const TARGET_MEDIAN_MS = 50;

// A chronic patient at 19 attacks per 28 days, halved after a procedure two years before the
// end, gives about 2,000 attacks; the reference date makes the outcome windows run as well.
const OPTIONS = {
  seed: 2,
  startDate: '2015-01-01',
  days: DAYS,
  frequency: 'chronic',
  attacksPer28: 19,
  referenceDate: '2023-01-01',
  rateMultiplier: 0.5,
} as const;
/** The analysis moment: after the diary, fixed so that every run sees the same "today". */
const NOW = Date.parse('2025-06-01T12:00:00Z');

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;
const n = (x: number): string => x.toLocaleString('en-GB');

function main(): void {
  const diary = diarySchema.parse(generateDiary(OPTIONS));
  const first = analyzeDiary(diary, { now: NOW });

  // Keep a result alive so the engine cannot drop the calls as dead code.
  let sink = 0;
  for (let i = 0; i < WARM_UP_RUNS; i++) sink += analyzeDiary(diary, { now: NOW }).attacks.length;
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const t0 = performance.now();
    const result = analyzeDiary(diary, { now: NOW });
    times.push(performance.now() - t0);
    sink += result.attacks.length;
  }
  times.sort((a, b) => a - b);
  const median = percentile(times, 0.5);
  const pass = median < TARGET_MEDIAN_MS;

  console.log('Relief analyzeDiary benchmark');
  console.log(
    `diary: ${n(DAYS)} days from ${OPTIONS.startDate}, ${n(diary.attacks.length)} attacks, ` +
      `${n(diary.dailyRecords.length)} daily records, reference date ${OPTIONS.referenceDate}`,
  );
  console.log(
    `analysis: ${n(first.span.days)} days in span, ${n(first.months.length)} months, ` +
      `${n(first.periods28.length)} 28-day periods, ${n(first.attacks.length)} attacks analysed`,
  );
  console.log(`runs: ${WARM_UP_RUNS} warm-up, ${TIMED_RUNS} timed (node ${process.version})`);
  console.log(`median ${ms(median)}  p95 ${ms(percentile(times, 0.95))}  min ${ms(times[0]!)}`);
  console.log(`target: median under ${TARGET_MEDIAN_MS} ms after warm-up: ${pass ? 'met' : 'NOT MET'}`);
  if (sink < 0) console.log(sink);
}

main();
