import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialFunnelLimits } from '../../src/stats/funnel.js';
import { expectClose, readReference } from './reference.js';

interface FunnelCase {
  p0: number;
  n: number;
  coverage: number;
  lower: number;
  upper: number;
}
const expected = readReference<{ cases: FunnelCase[] }>('funnel');

describe('binomialFunnelLimits against R qbinom/pbinom (Spiegelhalter 2005)', () => {
  it.each(expected.cases.map((c) => [`p0 ${c.p0}, n ${c.n}, coverage ${c.coverage}`, c] as const))('%s', (_, c) => {
    const limits = binomialFunnelLimits(c.p0, c.n, c.coverage);
    expectClose(limits.lower, c.lower, 'lower');
    expectClose(limits.upper, c.upper, 'upper');
  });

  it('rejects a bad proportion, size or coverage', () => {
    expect(() => binomialFunnelLimits(1.1, 10, 0.95)).toThrow(/^p0/);
    expect(() => binomialFunnelLimits(0.5, 0, 0.95)).toThrow(/^n/);
    expect(() => binomialFunnelLimits(0.5, 2.5, 0.95)).toThrow(/^n/);
    expect(() => binomialFunnelLimits(0.5, 10, 1)).toThrow(/^coverage/);
  });

  it('nests the 95 % limits inside the 99.8 % limits, within [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 20000 }), (p0, n) => {
        const inner = binomialFunnelLimits(p0, n, 0.95);
        const outer = binomialFunnelLimits(p0, n, 0.998);
        expect(outer.lower).toBeGreaterThanOrEqual(0);
        expect(outer.lower).toBeLessThanOrEqual(inner.lower);
        expect(inner.lower).toBeLessThanOrEqual(inner.upper);
        expect(inner.upper).toBeLessThanOrEqual(outer.upper);
        expect(outer.upper).toBeLessThanOrEqual(1);
      }),
    );
  });
});
