import gammaln from '@stdlib/math-base-special-gammaln';
import { normalCdf } from './distributions.js';

/**
 * Upper tail P(X > x) of the chi-square distribution with `df` degrees of freedom (R:
 * pchisq(x, df, lower.tail = FALSE)), accurate to ~1e-14 relative even for tiny p-values, where
 * 1 − cdf would round to 0. Regularised upper incomplete gamma Q(df/2, x/2): power series of the
 * lower tail below x/2 < df/2 + 1, Lentz's continued fraction above (Numerical Recipes §6.2).
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x))
    throw new RangeError(`chi-square tail needs df > 0 and a statistic, got ${x}, ${df}`);
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (df === 1) return 2 * normalCdf(-Math.sqrt(x));
  const a = df / 2;
  const h = x / 2;
  const logPrefix = -h + a * Math.log(h) - gammaln(a);
  if (h < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= h / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  const tiny = 1e-300;
  let b = h + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * fraction;
}
