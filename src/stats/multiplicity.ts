/**
 * Benjamini–Hochberg adjusted p-values (q), in input order (Benjamini & Hochberg 1995; R:
 * p.adjust(p, "BH")): q(i) = min over j with p(j) ≥ p(i) of min(1, m·p(j)/rank(j)).
 * A NaN entry is a missing p-value, as R's NA: it stays NaN and is not counted in m.
 * Other values must lie in [0, 1].
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const present: number[] = [];
  p.forEach((value, i) => {
    if (Number.isNaN(value)) return;
    if (!(value >= 0 && value <= 1))
      throw new RangeError(`p[${i}] must lie in [0, 1] or be NaN (missing), got ${value}`);
    present.push(i);
  });
  const m = present.length;
  // Largest p first; the running minimum makes q monotone in p.
  const order = present.slice().sort((a, b) => (p[b] as number) - (p[a] as number));
  const q = p.map(() => Number.NaN);
  let running = Infinity;
  order.forEach((index, position) => {
    const rank = m - position;
    running = Math.min(running, (m / rank) * (p[index] as number));
    q[index] = Math.min(1, running);
  });
  return q;
}
