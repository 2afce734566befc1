import { benchCohortStatistics } from './stats-bench-cohort.js';
import { benchTriggerAnalysis } from './stats-bench-triggers.js';

/**
 * `npm run bench:stats`: the personal trigger analysis of a 365-day diary with 30 factors
 * (target < 20 ms) and the cohort statistics of 10,000 patients, query included (target < 300 ms).
 */
await benchTriggerAnalysis();
await benchCohortStatistics();
