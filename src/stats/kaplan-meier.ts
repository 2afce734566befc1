import { checkLevel, type Interval } from './intervals.js';
import { normalQuantile } from './distributions.js';
import { checkObservations, orderByTime, type SurvivalObservation } from './survival-times.js';

export interface KaplanMeierStep extends Interval {
  time: number;
  nRisk: number;
  nEvent: number;
  nCensor: number;
  survival: number;
  /**
   * R's std.err: the Greenwood standard error of the cumulative hazard (of −log S). Infinity once
   * everyone still at risk has the event (the curve reaches 0), as in R.
   */
  stdErr: number;
  /**
   * Log-scale interval exp(log S ∓ z·stdErr), the upper limit capped at 1. Where the curve is 0
   * there is no such interval: both limits are NaN (R: NA; JSON writes null).
   */
  lower: number;
  upper: number;
}

export interface KaplanMeier {
  n: number;
  events: number;
  /** One step per distinct time, as R's survfit (censor-only times included). */
  steps: KaplanMeierStep[];
  /** Median survival time with its interval (R's print.survfit); null where not reached. */
  median: { estimate: number | null; lower: number | null; upper: number | null };
}

/**
 * Kaplan–Meier with Greenwood variance and log-scale intervals, as R survival 3.5-3's
 * survfit(Surv(time, event) ~ 1, conf.type = "log", conf.int = level): an event and a censoring at
 * the same time both count as at risk at that time; times equal up to rounding are one time (see
 * orderByTime). O(n log n): one sort, one pass.
 */
export function kaplanMeier(observations: readonly SurvivalObservation[], level = 0.95): KaplanMeier {
  checkObservations(observations, 'observations');
  if (observations.length === 0) throw new RangeError('observations must not be empty');
  checkLevel(level);
  const n = observations.length;
  const { index, time } = orderByTime(observations.map((o) => o.time));
  const z = normalQuantile(1 - (1 - level) / 2);

  const steps: KaplanMeierStep[] = [];
  let atRisk = n;
  let survival = 1;
  let greenwood = 0; // Σ d / (n (n − d)), the variance of the cumulative hazard
  let events = 0;
  for (let k = 0; k < n;) {
    const t = time[k]!;
    let nEvent = 0;
    let nCensor = 0;
    for (; k < n && time[k] === t; k++) {
      if (observations[index[k]!]!.event) nEvent++;
      else nCensor++;
    }
    if (nEvent > 0) {
      survival *= (atRisk - nEvent) / atRisk;
      greenwood += nEvent / (atRisk * (atRisk - nEvent));
    }
    const stdErr = Math.sqrt(greenwood);
    steps.push({ time: t, nRisk: atRisk, nEvent, nCensor, survival, stdErr, ...logInterval(survival, stdErr, z) });
    atRisk -= nEvent + nCensor;
    events += nEvent;
  }

  const times = steps.map((s) => s.time);
  return {
    n,
    events,
    steps,
    median: {
      estimate: medianTime(
        steps.map((s) => s.survival),
        times,
      ),
      // The lower limit of the median comes from the lower curve crossing 0.5 first, and vice versa.
      lower: medianTime(
        steps.map((s) => s.lower),
        times,
      ),
      upper: medianTime(
        steps.map((s) => s.upper),
        times,
      ),
    },
  };
}

/** R survfit_confint, conf.type = "log" (selow = std.err, so no extra scaling). */
function logInterval(survival: number, stdErr: number, z: number): Interval {
  if (survival === 0) return { lower: Number.NaN, upper: Number.NaN };
  const logS = Math.log(survival);
  return { lower: Math.exp(logS - z * stdErr), upper: Math.min(Math.exp(logS + z * stdErr), 1) };
}

const MEDIAN_TOLERANCE = Math.sqrt(2.220446049250313e-16);

/**
 * The first time a curve is at or below 0.5, as R's print.survfit (survmean's minmin): NaN points
 * are skipped; when the curve sits at 0.5 (within √ε) and later drops below it, the median is the
 * midpoint between the start of the flat stretch and the time of that drop. null when the curve
 * never reaches 0.5. (quantile.survfit differs in one case: a curve that stays at 0.5 to its last
 * time gets the midpoint to that last time there; print.survfit gives the start of the stretch.)
 */
function medianTime(values: readonly number[], times: readonly number[]): number | null {
  let first = -1;
  for (let k = 0; k < values.length; k++) {
    if (values[k]! < 0.5 + MEDIAN_TOLERANCE) {
      first = k;
      break;
    }
  }
  if (first < 0) return null;
  const atFirst = values[first]!;
  if (Math.abs(atFirst - 0.5) < MEDIAN_TOLERANCE) {
    for (let k = first + 1; k < values.length; k++) {
      if (values[k]! < atFirst) return (times[first]! + times[k]!) / 2;
    }
  }
  return times[first]!;
}
