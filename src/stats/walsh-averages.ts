/**
 * Order statistics of the Walsh averages (x_i + x_j)/2, i ≤ j, of a sample: the Hodges–Lehmann
 * estimate is their median and the signed-rank interval limits are two of them (Hodges & Lehmann
 * 1963; Bauer 1972). There are n(n+1)/2 of them, 25 million for n = 7,000, so large samples use
 * the selection of Johnson & Mizoguchi (SIAM J Comput 1978;7:147) over the rows of the sorted
 * sample, as Monahan (ACM TOMS 1984;10:265) does for this estimator, with a deterministic pivot:
 * the weighted median of the row medians removes at least a quarter of the candidates per round;
 * or, for a large sample of few distinct values, the weighted averages of those values' pairs.
 */

/** Below this many averages, sorting them all is simpler and as fast. */
const MATERIALISE_LIMIT = 20_000;

function walsh(sorted: Float64Array, i: number, j: number): number {
  return ((sorted[i] as number) + (sorted[j] as number)) / 2;
}

/** All Walsh averages of the ascending sample, ascending. */
export function sortedWalshAverages(sorted: Float64Array): Float64Array {
  const n = sorted.length;
  const out = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out[k++] = walsh(sorted, i, j);
  return out.sort();
}

/**
 * For each row i, the first column j ≥ i whose average is ≥ pivot (into `atLeast`) and the first
 * whose average is > pivot (into `above`); returns how many averages are < pivot and ≤ pivot.
 * Rows ascend in j and start higher as i grows, so one pointer per bound serves all rows.
 */
function rowBoundaries(sorted: Float64Array, pivot: number, atLeast: Int32Array, above: Int32Array): [number, number] {
  const n = sorted.length;
  const twice = 2 * pivot;
  let q = n;
  let r = n;
  let less = 0;
  let notMore = 0;
  for (let i = 0; i < n; i++) {
    const xi = sorted[i] as number;
    while (q > 0 && xi + (sorted[q - 1] as number) >= twice) q--;
    while (r > 0 && xi + (sorted[r - 1] as number) > twice) r--;
    const first = q > i ? q : i;
    const after = r > i ? r : i;
    atLeast[i] = first;
    above[i] = after;
    less += first - i;
    notMore += after - i;
  }
  return [less, notMore];
}

/**
 * The smallest of values[0 … count) at which the cumulative weight, in ascending order of value,
 * reaches `half` (quickselect with a three-way partition; reorders both arrays).
 */
function weightedMedian(values: Float64Array, weights: Float64Array, count: number, half: number): number {
  let low = 0;
  let high = count - 1;
  let need = half;
  for (;;) {
    if (low >= high) return values[low] as number;
    const pivot = values[(low + high) >> 1] as number;
    // Partition into [low, lt) < pivot, [lt, i) = pivot, (gt, high] > pivot.
    let lt = low;
    let gt = high;
    let i = low;
    let weightLess = 0;
    let weightEqual = 0;
    while (i <= gt) {
      const value = values[i] as number;
      if (value < pivot) {
        weightLess += weights[i] as number;
        swap(values, weights, i++, lt++);
      } else if (value > pivot) {
        swap(values, weights, i, gt--);
      } else {
        weightEqual += weights[i] as number;
        i++;
      }
    }
    if (need <= weightLess) high = lt - 1;
    else if (need <= weightLess + weightEqual) return pivot;
    else {
      need -= weightLess + weightEqual;
      low = gt + 1;
    }
  }
}

function swap(values: Float64Array, weights: Float64Array, a: number, b: number): void {
  const value = values[a] as number;
  values[a] = values[b] as number;
  values[b] = value;
  const weight = weights[a] as number;
  weights[a] = weights[b] as number;
  weights[b] = weight;
}

/** The distinct values of an ascending sample, ascending, and how often each occurs. */
function distinctValues(sorted: Float64Array): { values: Float64Array; counts: Float64Array } {
  const values: number[] = [];
  const counts: number[] = [];
  for (const x of sorted) {
    // Object.is keeps −0 apart from 0, as the averages of the sample itself do.
    if (values.length > 0 && Object.is(values[values.length - 1], x)) counts[counts.length - 1]!++;
    else {
      values.push(x);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

/** The order of a Float64Array's sort: by value, −0 before 0. */
function ascending(x: number, y: number): number {
  if (x !== y) return x < y ? -1 : 1;
  return Object.is(x, y) ? 0 : Object.is(x, -0) ? -1 : 1;
}

/**
 * The k-th smallest Walsh average from the distinct values of the sample: the averages of the
 * pairs of distinct values a ≤ b, each standing for c_a·c_b averages of the sample (c_a(c_a + 1)/2
 * when a = b), sorted with their weights. Changes of a score or of a count of days repeat a few
 * values thousands of times: a few thousand pairs instead of millions of averages.
 */
function fromDistinctPairs(values: Float64Array, counts: Float64Array, k: number): number {
  const m = values.length;
  const averages = new Float64Array((m * (m + 1)) / 2);
  const weights = new Float64Array(averages.length);
  let p = 0;
  for (let a = 0; a < m; a++) {
    const ca = counts[a] as number;
    for (let b = a; b < m; b++) {
      averages[p] = ((values[a] as number) + (values[b] as number)) / 2;
      weights[p++] = a === b ? (ca * (ca + 1)) / 2 : ca * (counts[b] as number);
    }
  }
  const order = new Uint32Array(averages.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((i, j) => ascending(averages[i] as number, averages[j] as number));
  let seen = 0;
  for (const i of order) {
    seen += weights[i] as number;
    if (seen >= k) return averages[i] as number;
  }
  throw new RangeError(`k must be at most the number of averages, got ${k}`);
}

/**
 * The k-th smallest (1-based) Walsh average of an ascending sample, ties counted with
 * multiplicity (as R's sort of outer(x, x, "+")/2 over i ≤ j).
 */
export function walshOrderStatistic(sorted: Float64Array, k: number): number {
  const n = sorted.length;
  const total = (n * (n + 1)) / 2;
  if (!Number.isInteger(k) || k < 1 || k > total)
    throw new RangeError(`k must be a whole number from 1 to ${total}, got ${k}`);
  if (total <= MATERIALISE_LIMIT) return sortedWalshAverages(sorted)[k - 1] as number;
  const distinct = distinctValues(sorted);
  const pairs = (distinct.values.length * (distinct.values.length + 1)) / 2;
  if (pairs <= MATERIALISE_LIMIT) return fromDistinctPairs(distinct.values, distinct.counts, k);

  // Row i holds columns j = i … n − 1; candidates are columns left[i] … right[i].
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = i;
    right[i] = n - 1;
  }
  const belowPivot = new Int32Array(n);
  const notAbovePivot = new Int32Array(n);
  const medians = new Float64Array(n);
  const weights = new Float64Array(n);
  let candidates = total;
  let discardedBelow = 0;
  while (candidates > n) {
    let rows = 0;
    for (let i = 0; i < n; i++) {
      const width = (right[i] as number) - (left[i] as number) + 1;
      if (width <= 0) continue;
      medians[rows] = walsh(sorted, i, ((left[i] as number) + (right[i] as number)) >> 1);
      weights[rows] = width;
      rows++;
    }
    const pivot = weightedMedian(medians, weights, rows, candidates / 2);
    const [lessThan, atMost] = rowBoundaries(sorted, pivot, belowPivot, notAbovePivot);
    if (k > lessThan && k <= atMost) return pivot;
    candidates = 0;
    discardedBelow = 0;
    for (let i = 0; i < n; i++) {
      if (k <= lessThan) right[i] = Math.min(right[i] as number, (belowPivot[i] as number) - 1);
      else left[i] = Math.max(left[i] as number, notAbovePivot[i] as number);
      discardedBelow += (left[i] as number) - i;
      candidates += Math.max(0, (right[i] as number) - (left[i] as number) + 1);
    }
  }
  const remaining = new Float64Array(candidates);
  let m = 0;
  for (let i = 0; i < n; i++)
    for (let j = left[i] as number; j <= (right[i] as number); j++) remaining[m++] = walsh(sorted, i, j);
  remaining.sort();
  return remaining[k - discardedBelow - 1] as number;
}

/** Median of the Walsh averages: the Hodges–Lehmann estimate (R: median of the sorted averages). */
export function walshMedian(sorted: Float64Array): number {
  const n = sorted.length;
  const total = (n * (n + 1)) / 2;
  if (total % 2 === 1) return walshOrderStatistic(sorted, (total + 1) / 2);
  const k = total / 2;
  const low = walshOrderStatistic(sorted, k);
  // The next one is `low` again when more than k averages are ≤ low, else the smallest above it.
  const atLeast = new Int32Array(n);
  const above = new Int32Array(n);
  const [, atMost] = rowBoundaries(sorted, low, atLeast, above);
  let high = Infinity;
  if (atMost > k) high = low;
  else
    for (let i = 0; i < n; i++)
      if ((above[i] as number) < n) high = Math.min(high, walsh(sorted, i, above[i] as number));
  return (low + high) / 2;
}
