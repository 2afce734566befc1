import { z } from 'zod';
import { FACTOR_KINDS } from '../domain/trigger-exposures.js';
import { TRIGGER_VERDICTS } from '../domain/triggers.js';

/**
 * The answer of GET /patients/:patientId/analysis, for the OpenAPI document (src/domain/analysis.ts
 * and triggers.ts hold the rules behind each field). The personal trigger analysis is described
 * field for field; the other parts by their keys, open to the fields their domain modules define.
 * The API test parses real answers with it, so it cannot drift from what is sent.
 */

const count = z.number().int().min(0);
const nullableNumber = z.number().nullable();
const localDate = z.string().describe('a local date, YYYY-MM-DD');

const trigger = z
  .strictObject({
    factor: z.string().describe('the factor’s name; a number is split into "<name> low" and "<name> high"'),
    lag: z.union([z.literal(0), z.literal(1)]).describe('1: exposure on the day before (primary); 0: the same day'),
    atRiskDays: count.describe('at-risk days with the factor known at this lag'),
    exposedDays: count.describe('exposed at-risk days'),
    onsets: count.describe('at-risk days on which an attack started'),
    exposedOnsets: count,
    oddsRatio: nullableNumber.describe('exp(β) of Firth logistic regression onset ~ exposure'),
    ciLower: nullableNumber.describe('profile penalised-likelihood interval at config.triggers.level'),
    ciUpper: nullableNumber,
    p: nullableNumber.describe('penalised likelihood-ratio test'),
    q: nullableNumber.describe('Benjamini–Hochberg across the patient’s factors, per lag'),
    verdict: z.enum(TRIGGER_VERDICTS),
    reason: z.string().optional().describe('why the verdict is insufficient-data'),
    lowPower: z.boolean().describe('fewer onsets than config.triggers.lowPowerOnsets'),
    possiblyPremonitory: z.boolean().describe('associated on the same day only'),
    adjustedForMenstruation: z.boolean(),
  })
  .describe('one factor at one lag');

const triggerAnalysis = z
  .strictObject({
    recordedDays: count,
    atRiskDays: count.describe('recorded days at risk of an attack onset'),
    onsets: count,
    continuationDays: count.describe('headache days that continue an attack or episode begun earlier'),
    undeterminedOnsetDays: count.describe('headache days after a day with no entry'),
    afterEpisodeDays: count.describe('headache-free days right after a day-level headache day'),
    adjustedForMenstruation: z.boolean(),
    perimenstrualAtRiskDays: count,
    factors: z.array(
      z.strictObject({
        factor: z.string(),
        source: z.string().describe('the factor’s name in the daily records'),
        kind: z.enum(FACTOR_KINDS),
        exposedWhen: z.string().describe('when a day counts as exposed: "true", "> 0", "< 6.0"'),
        trackedFrom: localDate,
        trackedTo: localDate,
        median: z.number().optional().describe('a number: the patient’s median'),
        deviation: z.number().optional().describe('a number: the deviation that makes a day low or high'),
      }),
    ),
  })
  .describe('the at-risk days, onsets and factors behind `triggers`');

/** An object whose fields are defined by its domain module; only its being an object is promised here. */
const open = (description: string) => z.looseObject({}).describe(description);

export const analysisResponseSchema = z.strictObject({
  patient: z.strictObject({ id: z.string(), timeZone: z.string(), conditions: z.array(z.string()) }),
  asOf: localDate.describe('the local date the analysis was made on'),
  span: z.strictObject({
    first: localDate.nullable(),
    last: localDate.nullable(),
    days: count,
    recordedDays: count,
    compliance: z.number().describe('recorded days / days'),
  }),
  months: z.array(open('a calendar month’s headache, migraine and medication days (src/domain/periods.ts)')),
  periodAnchor: localDate.nullable().describe('anchor of the 28-day periods'),
  periods28: z.array(open('a 28-day period’s summary, with its index (src/domain/periods.ts)')),
  attacks: z.array(open('an attack with its ICHD-3 classification')),
  classification: open('the patient’s ICHD-3 diagnoses with their criteria'),
  medicationOveruse: z.array(open('medication-overuse warnings per class (ICHD-3 8.2)')),
  outcomes: open('outcomes against the reference date (src/domain/outcomes.ts)').nullable(),
  questionnaires: z.array(open('a scored questionnaire')),
  triggers: z.array(trigger).describe('personal trigger analysis: each factor at lag 1 and lag 0'),
  triggerAnalysis,
  warnings: z.array(z.string()),
  config: open('the analysis configuration used, with `triggers` (level, minimums, fdr, equivalence)'),
});
