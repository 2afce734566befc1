/** Survival observations: checks, and the time order shared by Kaplan–Meier, log-rank and Cox. */

export interface SurvivalObservation {
  time: number;
  /** true: the event (relapse) happened at `time`; false: censored at `time`. */
  event: boolean;
}

/** Throws a RangeError naming `name` unless every observation has a finite time ≥ 0 and a boolean event. */
export function checkObservations(observations: readonly SurvivalObservation[], name: string): void {
  if (!Array.isArray(observations)) throw new RangeError(`${name} must be an array of observations`);
  observations.forEach((o, i) => {
    if (o === null || typeof o !== 'object') throw new RangeError(`${name}[${i}] must be { time, event }`);
    if (!Number.isFinite(o.time) || o.time < 0) {
      throw new RangeError(`${name}[${i}].time must be a finite number ≥ 0, got ${String(o.time)}`);
    }
    if (typeof o.event !== 'boolean') throw new RangeError(`${name}[${i}].event must be true or false`);
  });
}

/** R's .Machine$double.eps^0.5: times closer than this (absolutely or relative to their mean) are one time. */
const TIME_TOLERANCE = Math.sqrt(2.220446049250313e-16);

export interface TimeOrder {
  /** Indices of the observations in ascending time (stable for equal times). */
  index: Int32Array;
  /** time[k]: the time of observation index[k], with rounding-level differences removed. */
  time: Float64Array;
}

/**
 * Sorts once by time and, as R's survival does by default (aeqSurv, timefix = TRUE), treats
 * distinct times whose gap is within √ε (absolutely, or relative to the mean absolute distinct
 * time) as one: each such time takes the smallest value of its run. Without this, 0.1 + 0.2 and
 * 0.3 would be two times and a tie would be lost.
 */
export function orderByTime(times: ArrayLike<number>): TimeOrder {
  const n = times.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => times[a]! - times[b]!);
  const index = Int32Array.from(order);
  const time = new Float64Array(n);
  for (let k = 0; k < n; k++) time[k] = times[index[k]!]!;

  let distinct = 0;
  let sumAbs = 0;
  for (let k = 0; k < n; k++) {
    if (k === 0 || time[k] !== time[k - 1]) {
      distinct++;
      sumAbs += Math.abs(time[k]!);
    }
  }
  if (distinct < 2) return { index, time };
  const meanAbs = sumAbs / distinct;

  let previous = time[0]!; // the previous distinct raw time
  let cut = previous; // the time that the current run of near-equal times takes
  for (let k = 1; k < n; k++) {
    const raw = time[k]!;
    if (raw !== previous) {
      const gap = raw - previous;
      if (!(gap <= TIME_TOLERANCE || gap / meanAbs <= TIME_TOLERANCE)) cut = raw;
      previous = raw;
    }
    time[k] = cut;
  }
  return { index, time };
}
