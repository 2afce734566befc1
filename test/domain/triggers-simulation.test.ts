import { expect, test } from 'vitest';
import { simulateTriggerAnalysis, type SimulationRow } from '../../src/bench/trigger-simulation.js';

/**
 * A seeded, smaller run of `npm run simulate:triggers` (150 diaries per length instead of 2,000):
 * three true triggers (OR 2, 2.5, 3 the next day) and seven factors without effect.
 *
 * What the method must meet, with room for the Monte Carlo error of 150 diaries:
 * - Benjamini–Hochberg at q < 0.10 keeps the false discovery rate at or under 10 % × 7/10 = 7 %
 *   (independent tests); the bound is 10 %.
 * - A factor without effect is then called a trigger in far fewer than 5 % of diaries (an
 *   unadjusted test at 0.05 would do so in 2.5 %, one side of 5 %); the bound is 5 %.
 * - Power rises with the length of the diary, and a year finds an OR-3 trigger in most diaries.
 */
test('power rises with diary length while factors without effect are rarely called triggers', () => {
  const rows: SimulationRow[] = [90, 180, 365].map((days) =>
    simulateTriggerAnalysis({ days, replications: 150, seed: 7 }),
  );
  const [d90, d180, d365] = rows as [SimulationRow, SimulationRow, SimulationRow];

  expect(d90.withVerdict).toBeGreaterThan(0.8);
  expect(d365.withVerdict).toBe(1);
  expect(d180.meanPower).toBeGreaterThan(d90.meanPower);
  expect(d365.meanPower).toBeGreaterThan(d180.meanPower);
  expect(d365.meanPower - d90.meanPower).toBeGreaterThan(0.25);
  expect(d365.powerByOddsRatio.find((p) => p.oddsRatio === 3)!.power).toBeGreaterThan(0.6);
  for (const r of rows) {
    expect(r.nullCalledTrigger, `${r.days} days`).toBeLessThan(0.05);
    expect(r.falseDiscoveryRate, `${r.days} days`).toBeLessThan(0.1);
  }
}, 60_000);
