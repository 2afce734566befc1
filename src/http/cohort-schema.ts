import { z } from 'zod';
import { HEADACHE_TYPES } from '../domain/cohort.js';
import { COHORT_GROUP_BY, COHORT_GROUPINGS } from '../domain/cohort-stats.js';
import { CLAVIEN_DINDO_GRADES } from '../domain/registry.js';

/**
 * The answer of GET /cohort, for the OpenAPI document (src/domain/cohort.ts and cohort-stats.ts
 * hold the rules behind each field). The API test parses real answers with it, so it cannot drift
 * from what is sent.
 */

const num = z.number();
const nullableNumber = z.number().nullable();
const grades = z.strictObject(Object.fromEntries(CLAVIEN_DINDO_GRADES.map((g) => [g, z.number().int()])));

const windowSummary = z.strictObject({
  visitId: z.string(),
  label: z.string(),
  months: num,
  n: num.describe('procedures whose window has ended'),
  nSufficient: num.describe('of those, with a sufficient baseline above 0 MMD and a sufficient window'),
  mmdChange: z.strictObject({ mean: nullableNumber, median: nullableNumber }),
  responders: z.strictObject({ '50': num, '75': num, '100': num }),
  complications: grades.describe('adverse events by Clavien–Dindo grade up to the window’s last day'),
});

const rowWindow = z.strictObject({
  visitId: z.string(),
  ended: z.boolean(),
  sufficient: z.boolean(),
  mmd: nullableNumber,
  mmdChange: nullableNumber,
  mmdPercentChange: nullableNumber,
  responder50: z.boolean().nullable(),
  responder75: z.boolean().nullable(),
  responder100: z.boolean().nullable(),
  midas: nullableNumber.describe('MIDAS score at the visit'),
  hit6: nullableNumber.describe('HIT-6 score at the visit'),
});

const row = z
  .strictObject({
    row: z.string().describe('R0001…, numbered in an order drawn afresh for every request'),
    procedureType: z.string(),
    siteId: z.string(),
    surgeon: z.string().nullable().describe('the surgeon’s code'),
    adjuncts: z.array(z.string()),
    age: nullableNumber.describe('whole years at the procedure; 90 for 90 and over'),
    sex: z.string().nullable(),
    conditions: z.array(z.string()),
    headacheType: z.enum(HEADACHE_TYPES).nullable(),
    predictors: z.strictObject({
      aura: z.boolean().nullable(),
      medicationOveruse: z.boolean().nullable(),
      triggerSites: num,
      priorToxinOrBlockResponse: z.boolean(),
      decompression: z.boolean(),
    }),
    baseline: z.strictObject({ recordedDays: num, mmd: nullableNumber, midas: nullableNumber, hit6: nullableNumber }),
    windows: z.array(rowWindow),
    durability: z.strictObject({
      responded: z.boolean().nullable(),
      time: nullableNumber.describe('days from the procedure to relapse or censoring'),
      event: z.boolean().nullable().describe('true: relapse; false: censored'),
    }),
    complications: z.array(z.strictObject({ grade: z.enum(CLAVIEN_DINDO_GRADES), onsetDay: num })),
  })
  .describe('one de-identified procedure: no names, ids or dates');

const proportion = {
  x: num,
  n: num,
  rate: nullableNumber.describe('x / n; null when n is 0'),
  lower: nullableNumber.describe('Wilson interval (R: prop.test(x, n, correct = FALSE))'),
  upper: nullableNumber,
};

const change = z
  .strictObject({
    n: num,
    mean: nullableNumber,
    sd: nullableNumber,
    meanLower: nullableNumber.describe('t interval (R: t.test); null for one value or constant values'),
    meanUpper: nullableNumber,
    median: nullableNumber,
    hodgesLehmann: nullableNumber.describe('Hodges–Lehmann estimate (R: wilcox.test(d, conf.int = TRUE))'),
    hodgesLehmannLower: nullableNumber,
    hodgesLehmannUpper: nullableNumber,
    hodgesLehmannLevel: nullableNumber.describe(
      'confidence level of the Hodges–Lehmann interval: `level`, or the lower one R reports when too few ' +
        'differences cannot reach it (3 differences: 0.75); null without an interval',
    ),
    wilcoxonP: nullableNumber.describe('Wilcoxon signed-rank p; null when every difference is 0'),
  })
  .describe('follow-up − baseline');

const windowStatistics = z.strictObject({
  visitId: z.string(),
  label: z.string(),
  months: num,
  nSufficient: num,
  responders: z.array(
    z.strictObject({ threshold: z.union([z.literal(50), z.literal(75), z.literal(100)]), ...proportion }),
  ),
  mmdChange: change,
  midasChange: change.describe('visit MIDAS − baseline MIDAS, over procedures with both'),
  hit6Change: change.describe('visit HIT-6 − baseline HIT-6, over procedures with both'),
});

const survivalPoint = z.strictObject({
  time: num.describe('days from the procedure'),
  survival: num,
  lower: nullableNumber,
  upper: nullableNumber,
  nRisk: num,
  nEvent: num,
  nCensor: num,
});

const durability = z
  .strictObject({
    groupBy: z.enum(COHORT_GROUP_BY),
    unknown: num.describe('responders of no group (no surgeon recorded)'),
    groups: z.array(
      z.strictObject({
        group: z.string(),
        n: num.describe('responders'),
        events: num.describe('relapses'),
        median: nullableNumber.describe('median days to relapse; null when not reached'),
        medianLower: nullableNumber,
        medianUpper: nullableNumber,
        curve: z.array(survivalPoint).describe('Kaplan–Meier step curve from (0, 1), log-scale intervals'),
      }),
    ),
    logRankChiSquare: nullableNumber,
    logRankDf: nullableNumber,
    logRankP: nullableNumber.describe('log-rank test across groups (R: survdiff); null for one group'),
  })
  .describe('time to relapse among responders (R: survfit)');

const comparison = z.strictObject({
  by: z.enum(COHORT_GROUPINGS),
  window: z.string(),
  reference: z.string().nullable().describe('the group with the most procedures judged at the window'),
  unknown: num,
  groups: z.array(
    z.strictObject({
      group: z.string(),
      ...proportion,
      difference: nullableNumber.describe('rate − reference rate; null for the reference'),
      differenceLower: nullableNumber.describe('Newcombe hybrid score interval'),
      differenceUpper: nullableNumber,
    }),
  ),
});

const predictors = z
  .strictObject({
    window: z.string(),
    outcome: z.literal('responder50'),
    nEvaluable: num,
    n: num.describe('complete cases used'),
    nDropped: num,
    responders: num,
    nonResponders: num,
    eventsPerPredictor: nullableNumber,
    minEventsPerPredictor: num,
    refused: z.string().nullable().describe('why the model was not fitted; null when it was'),
    terms: z.array(
      z.strictObject({
        predictor: z.string(),
        description: z.string(),
        missing: num,
        oddsRatio: nullableNumber,
        lower: nullableNumber.describe('profile penalised-likelihood interval'),
        upper: nullableNumber,
        p: nullableNumber.describe('penalised likelihood-ratio test'),
      }),
    ),
  })
  .describe('Firth logistic regression of 50 % response at the window on all predictors at once');

const position = z.enum(['inside', 'above', 'below']);
const funnel = z
  .strictObject({
    by: z.enum(['surgeon', 'site']),
    window: z.string(),
    x: num,
    n: num,
    rate: nullableNumber.describe('the whole cohort’s rate, which the limits surround'),
    unknown: num,
    units: z.array(
      z.strictObject({
        unit: z.string(),
        x: num,
        n: num,
        rate: num,
        lower95: num,
        upper95: num,
        lower998: num,
        upper998: num,
        position95: position,
        position998: position,
      }),
    ),
  })
  .describe('50 % response per unit against exact binomial limits (Spiegelhalter 2005)');

const statistics = z.strictObject({
  level: num.describe('confidence level of every interval'),
  window: z.string().describe('the window of comparisons, predictors and funnels'),
  groupBy: z.enum(COHORT_GROUP_BY),
  windows: z.array(windowStatistics),
  durability,
  comparisons: z.array(comparison),
  predictors,
  funnels: z.array(funnel),
});

export const cohortResponseSchema = z.strictObject({
  asOf: z.string().describe('the day the cohort was computed on'),
  filter: z.record(z.string(), z.unknown()),
  n: num.describe('procedures in the cohort'),
  windows: z.array(windowSummary),
  patients: z.array(row),
  statistics,
});
