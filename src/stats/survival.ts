/**
 * Survival analysis, checked against R survival 3.5-3: Kaplan–Meier (survfit), the log-rank test
 * (survdiff) and Cox proportional hazards with Efron ties (coxph).
 */
export { type SurvivalObservation } from './survival-times.js';
export { kaplanMeier, type KaplanMeier, type KaplanMeierStep } from './kaplan-meier.js';
export { logRankTest, type LogRankResult } from './log-rank.js';
export { coxProportionalHazards, type CoxFit, type CoxOptions } from './cox.js';
