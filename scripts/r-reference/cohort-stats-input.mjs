// Writes test/stats/reference/inputs/cohort-stats.json: de-identified cohort rows (the shape of
// `patients[]` in src/domain/cohort.ts) from a fixed seed, with what the cohort statistics must
// handle: missing values of every kind, zero and tied changes, a baseline of 0, a site with one
// surgeon, rows without a surgeon, censoring and tied relapse times. Run with
// `node scripts/r-reference/cohort-stats-input.mjs`, then `npx prettier --write` on the output (as
// on every reference file); the output is committed, and cohort-stats.R computes the expected
// values from it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Mulberry32: a small seeded generator, so that the rows are the same on every run. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(20251128);
const chance = (p) => random() < p;
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (weighted) => {
  let u = random() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of weighted) if ((u -= w) < 0) return value;
  return weighted.at(-1)[0];
};

const WINDOWS = [
  { visitId: 'm1', label: '1 month', months: 1, ended: 1 },
  { visitId: 'm3', label: '3 months', months: 3, ended: 0.97 },
  { visitId: 'm6', label: '6 months', months: 6, ended: 0.9 },
  { visitId: 'm12', label: '12 months', months: 12, ended: 0.8 },
  { visitId: 'm24', label: '24 months', months: 24, ended: 0.35 },
];
const SURGEONS = { 'site-a': ['S1', 'S2'], 'site-b': ['S3', 'S4'], 'site-c': ['S5'] };

function row(i) {
  const siteId = pick([
    ['site-a', 5],
    ['site-b', 3],
    ['site-c', 2],
  ]);
  const decompression = chance(0.3);
  const sufficientBaseline = !chance(0.05);
  const mmd = !sufficientBaseline ? null : i % 40 === 7 ? 0 : between(3, 22);
  const headache = mmd === null ? null : mmd + between(0, 4);
  const predictors = {
    aura: chance(0.05) ? null : chance(0.3),
    medicationOveruse: chance(0.05) ? null : chance(0.35),
    triggerSites: between(1, 4),
    priorToxinOrBlockResponse: chance(0.6),
    decompression,
  };
  const baselineMidas = chance(0.15) ? null : between(0, 120);
  const baselineHit6 = chance(0.15) ? null : between(36, 78);
  // Response depends on prior response to toxin or block and on the number of trigger sites.
  const propensity =
    -0.4 + 1.1 * Number(predictors.priorToxinOrBlockResponse) - 0.35 * (predictors.triggerSites - 2) + random() - 0.5;
  const reduction = () => Math.min(1, Math.max(-0.3, 0.45 + 0.25 * propensity + (random() - 0.5) * 0.8));
  let endedSoFar = true;
  const windows = WINDOWS.map((w) => {
    endedSoFar = endedSoFar && chance(w.ended);
    const ended = endedSoFar;
    const sufficient = ended && !chance(0.12);
    const at = sufficient && mmd !== null ? Math.max(0, Math.round(mmd * (1 - reduction()))) : null;
    const comparable = at !== null && mmd !== null;
    const measurable = comparable && mmd > 0;
    const responder = (t) => (measurable ? (mmd - at) / mmd >= t - 1e-12 : null);
    return {
      visitId: w.visitId,
      ended,
      sufficient,
      mmd: sufficient ? at : null,
      mmdChange: comparable ? at - mmd : null,
      mmdPercentChange: measurable ? ((at - mmd) / mmd) * 100 : null,
      responder50: responder(0.5),
      responder75: responder(0.75),
      responder100: responder(1),
      midas: ended && baselineMidas !== null && !chance(0.2) ? Math.max(0, baselineMidas - between(-10, 60)) : null,
      hit6: ended && !chance(0.2) ? between(36, 78) : null,
    };
  });
  const responded = mmd === null || mmd === 0 ? null : windows.some((w) => w.responder50 === true);
  const relapsed = chance(0.45);
  return {
    row: `R${String(i + 1).padStart(4, '0')}`,
    procedureType: 'fat-transfer',
    siteId,
    surgeon: chance(0.06) ? null : pick(SURGEONS[siteId].map((s) => [s, 1])),
    adjuncts: decompression ? ['nerve-decompression'] : [],
    age: chance(0.03) ? null : between(19, 78),
    sex: pick([
      ['female', 70],
      ['male', 25],
      ['other', 2],
      ['unknown', 2],
      [null, 1],
    ]),
    conditions: ['migraine'],
    headacheType: headache === null ? null : headache >= 15 ? 'chronic' : 'episodic',
    predictors,
    baseline: { recordedDays: sufficientBaseline ? 28 : 14, mmd, midas: baselineMidas, hit6: baselineHit6 },
    windows,
    durability: {
      responded,
      time: responded ? 28 * between(relapsed ? 2 : 1, 26) : null,
      event: responded ? relapsed : null,
    },
    complications: [],
  };
}

const rows = Array.from({ length: 180 }, (_, i) => row(i));
const out = fileURLToPath(import.meta.resolve('../../test/stats/reference/inputs/cohort-stats.json'));
writeFileSync(
  out,
  `${JSON.stringify({ windows: WINDOWS.map(({ ended: _e, ...w }) => w), minEventsPerPredictor: 5, rows })}\n`,
);
