/** A two-sided confidence interval. */
export interface Interval {
  lower: number;
  upper: number;
}

/** Throws a RangeError naming `name` unless the confidence level lies strictly between 0 and 1. */
export function checkLevel(level: number, name = 'level'): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`${name} must lie strictly between 0 and 1, got ${level}`);
}
