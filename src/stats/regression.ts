/** Regression models: Firth-penalised logistic regression and negative binomial regression with an offset. */
export { firthLogistic } from './firth.js';
export type { FirthFit, FirthOptions } from './firth.js';
export { negativeBinomialRegression } from './negative-binomial.js';
export type { NegativeBinomialFit } from './negative-binomial.js';
