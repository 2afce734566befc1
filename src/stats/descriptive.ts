/** Descriptive statistics. */

/**
 * The median (R: median(x)): the middle value, or the mean of the two middle values when there
 * is an even number. Throws a RangeError naming `name` when `values` is empty or holds a
 * non-finite number.
 */
export function median(values: readonly number[], name = 'values'): number {
  if (values.length === 0) throw new RangeError(`${name} must hold at least one number`);
  values.forEach((value, i) => {
    if (!Number.isFinite(value)) throw new RangeError(`${name}[${i}] must be a finite number, got ${value}`);
  });
  return medianOfSorted(Float64Array.from(values).sort());
}

/** The median of values already in ascending order (at least one). */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const half = sorted.length >> 1;
  // a/2 + b/2 rounds as (a + b)/2 does, and does not overflow near the largest double.
  return sorted.length % 2 === 1 ? sorted[half]! : sorted[half - 1]! / 2 + sorted[half]! / 2;
}
