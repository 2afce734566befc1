import { pathToFileURL } from 'node:url';
import { analyzeDiary } from '../domain/analysis.js';
import { DEFAULT_TRIGGER_CONFIG } from '../domain/config.js';
import type { TriggerResult } from '../domain/triggers.js';
import { generateTriggerDiary, type SyntheticFactor } from '../synthetic/trigger-diary-generator.js';

/**
 * `npm run simulate:triggers`: how the personal trigger analysis behaves on diaries whose truth is
 * known. Each replication draws a diary (src/synthetic/trigger-diary-generator.ts) with three true
 * triggers (odds ratio 2, 2.5 and 3 on the next day) and seven factors without effect, analyses it
 * with Relief's defaults, and counts at lag 1 how often each true trigger is called a trigger
 * (power) and how often a factor without effect is (false positives), at 90, 180 and 365 days.
 */

/** The factors of every simulated diary: the first three are true triggers. */
export const SIMULATED_FACTORS: readonly SyntheticFactor[] = [
  { name: 'alcohol', kind: 'yes-no', prevalence: 0.2, oddsRatio: 3 },
  { name: 'stress', kind: 'ordinal', prevalence: 0.3, oddsRatio: 2 },
  { name: 'sleep hours', kind: 'hours', prevalence: 0.15, oddsRatio: 2.5 },
  { name: 'chocolate', kind: 'yes-no', prevalence: 0.25, oddsRatio: 1 },
  { name: 'cheese', kind: 'yes-no', prevalence: 0.1, oddsRatio: 1 },
  { name: 'caffeine', kind: 'ordinal', prevalence: 0.5, oddsRatio: 1 },
  { name: 'exercise', kind: 'yes-no', prevalence: 0.3, oddsRatio: 1 },
  { name: 'bright light', kind: 'yes-no', prevalence: 0.15, oddsRatio: 1 },
  { name: 'weather change', kind: 'ordinal', prevalence: 0.2, oddsRatio: 1 },
  { name: 'skipped meal', kind: 'yes-no', prevalence: 0.1, oddsRatio: 1 },
];

/** The analysed names of the true triggers (a number of hours is analysed as "<name> low"). */
export const TRUE_TRIGGERS: ReadonlyMap<string, number> = new Map([
  ['alcohol', 3],
  ['stress', 2],
  ['sleep hours low', 2.5],
]);
/** Factors without effect ("sleep hours high" is never exposed in these diaries, so it is not counted). */
export const NULL_FACTORS: readonly string[] = SIMULATED_FACTORS.filter((f) => f.oddsRatio === 1).map((f) => f.name);

export interface SimulationRow {
  days: number;
  replications: number;
  /** Median attack onsets among the at-risk days. */
  medianOnsets: number;
  /** Share of diaries with at least the minimum of onsets (10) for a verdict. */
  withVerdict: number;
  /** Share of replications in which each true trigger is called a trigger, by its odds ratio. */
  powerByOddsRatio: { oddsRatio: number; power: number }[];
  meanPower: number;
  /** Share of (diary, factor without effect) pairs called a trigger. */
  nullCalledTrigger: number;
  /** …called a trigger or a protector. */
  nullCalledAssociated: number;
  /** Share of factors without effect shown as "no association". */
  nullNoAssociation: number;
  /**
   * False discovery rate: the mean over diaries of (factors without effect called triggers) / (all
   * trigger calls), 0 for a diary without any call; Benjamini–Hochberg keeps it at or under
   * 10 % × (share of factors without effect).
   */
  falseDiscoveryRate: number;
}

const NOW = Date.parse('2030-01-01T00:00:00Z');

export function simulateTriggerAnalysis(options: { days: number; replications: number; seed: number }): SimulationRow {
  const onsets: number[] = [];
  let withVerdict = 0;
  const trueCalls = new Map<string, number>();
  let nullTrigger = 0;
  let nullAssociated = 0;
  let nullNoAssociation = 0;
  let falseDiscoveryProportions = 0;
  for (let rep = 0; rep < options.replications; rep++) {
    const diary = generateTriggerDiary({
      seed: options.seed * 1_000_003 + rep,
      startDate: '2024-01-01',
      days: options.days,
      factors: SIMULATED_FACTORS,
    });
    const analysis = analyzeDiary(diary, { now: NOW });
    onsets.push(analysis.triggerAnalysis.onsets);
    const lag1 = new Map<string, TriggerResult>(analysis.triggers.filter((t) => t.lag === 1).map((t) => [t.factor, t]));
    if (lag1.get('alcohol')!.onsets >= DEFAULT_TRIGGER_CONFIG.minOnsets) withVerdict++;
    let calls = 0;
    let falseCalls = 0;
    for (const name of TRUE_TRIGGERS.keys()) {
      if (lag1.get(name)!.verdict === 'trigger') {
        trueCalls.set(name, (trueCalls.get(name) ?? 0) + 1);
        calls++;
      }
    }
    for (const name of NULL_FACTORS) {
      const verdict = lag1.get(name)!.verdict;
      if (verdict === 'trigger') {
        nullTrigger++;
        calls++;
        falseCalls++;
      }
      if (verdict === 'trigger' || verdict === 'protector') nullAssociated++;
      if (verdict === 'no-association') nullNoAssociation++;
    }
    if (calls > 0) falseDiscoveryProportions += falseCalls / calls;
  }
  const n = options.replications;
  const nullPairs = n * NULL_FACTORS.length;
  const powerByOddsRatio = [...TRUE_TRIGGERS]
    .map(([name, oddsRatio]) => ({ oddsRatio, power: (trueCalls.get(name) ?? 0) / n }))
    .sort((a, b) => a.oddsRatio - b.oddsRatio);
  onsets.sort((a, b) => a - b);
  return {
    days: options.days,
    replications: n,
    medianOnsets: onsets[Math.floor((n - 1) / 2)]!,
    withVerdict: withVerdict / n,
    powerByOddsRatio,
    meanPower: powerByOddsRatio.reduce((s, r) => s + r.power, 0) / powerByOddsRatio.length,
    nullCalledTrigger: nullTrigger / nullPairs,
    nullCalledAssociated: nullAssociated / nullPairs,
    nullNoAssociation: nullNoAssociation / nullPairs,
    falseDiscoveryRate: falseDiscoveryProportions / n,
  };
}

/** The table printed by `npm run simulate:triggers` (and copied into docs/clinical-rules.md). */
export function formatSimulationTable(rows: readonly SimulationRow[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const ors = rows[0]!.powerByOddsRatio.map((p) => `power OR ${p.oddsRatio}`);
  const header = [
    'days',
    'median onsets',
    'diaries with ≥ 10 onsets',
    ...ors,
    'mean power',
    'null called trigger',
    'null called trigger or protector',
    'null shown as no association',
    'false discovery rate',
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    lines.push(
      `| ${[
        String(r.days),
        String(r.medianOnsets),
        pct(r.withVerdict),
        ...r.powerByOddsRatio.map((p) => pct(p.power)),
        pct(r.meanPower),
        pct(r.nullCalledTrigger),
        pct(r.nullCalledAssociated),
        pct(r.nullNoAssociation),
        pct(r.falseDiscoveryRate),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function main(): void {
  const replications = Number(process.env.TRIGGER_SIMULATION_REPLICATIONS ?? 2000);
  if (!Number.isInteger(replications) || replications <= 0) {
    throw new Error('TRIGGER_SIMULATION_REPLICATIONS must be a positive integer');
  }
  const started = performance.now();
  const rows = [90, 180, 365].map((days) => simulateTriggerAnalysis({ days, replications, seed: 2017 }));
  console.log('Relief personal trigger analysis: simulation');
  console.log(
    `${replications} diaries per length; baseline onset probability 0.12 per day at risk; attacks last 1–3 days;`,
  );
  console.log(
    `true triggers at lag 1: ${[...TRUE_TRIGGERS].map(([n, or]) => `${n} (OR ${or})`).join(', ')}; ` +
      `no effect: ${NULL_FACTORS.join(', ')}`,
  );
  console.log('verdicts at lag 1 with the default thresholds (q < 0.10; ≥ 90 days, 10 onsets, 5 exposed days)\n');
  console.log(formatSimulationTable(rows));
  console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s (node ${process.version})`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
