import { describe, expect, it } from 'vitest';
import {
  InPlaceCholesky,
  MatrixCholesky,
  symmetricInverse,
  type SymmetricFactor,
} from '../../src/stats/linear-algebra.js';
import { expectClose } from './reference.js';

/** The 4 × 4 Hilbert matrix 1 / (i + j + 1): its inverse has the integer entries below and det = 1 / 6,048,000. */
const HILBERT = Float64Array.from({ length: 16 }, (_, k) => 1 / (Math.floor(k / 4) + (k % 4) + 1));
const HILBERT_INVERSE = [
  16, -120, 240, -140, -120, 1200, -2700, 1680, 240, -2700, 6480, -4200, -140, 1680, -4200, 2800,
];

describe.each([
  ['in place', () => new InPlaceCholesky(4)],
  ['ml-matrix', () => new MatrixCholesky()],
] as const)('Cholesky factor (%s)', (_, create: () => SymmetricFactor) => {
  it('inverts, solves and gives log det of the Hilbert matrix', () => {
    const factor = create();
    expect(factor.factor(HILBERT, 4)).toBe(true);
    const inverse = new Float64Array(16);
    factor.inverse(inverse);
    inverse.forEach((value, k) => expectClose(value, HILBERT_INVERSE[k]!, `inverse[${k}]`, 1e-9));
    expectClose(factor.logDeterminant(), -Math.log(6048000), 'log det', 1e-12);
    // H x = H·(1, 2, 3, 4) has x = (1, 2, 3, 4).
    const b = Float64Array.from([0, 1, 2, 3], (i) =>
      [1, 2, 3, 4].reduce((sum, x, j) => sum + HILBERT[i * 4 + j]! * x, 0),
    );
    factor.solve(b);
    b.forEach((value, i) => expectClose(value, i + 1, `x[${i}]`, 1e-9));
  });

  it('reads only the lower triangle', () => {
    const lower = Float64Array.from(HILBERT, (value, k) => (k % 4 > Math.floor(k / 4) ? Number.NaN : value));
    const factor = create();
    expect(factor.factor(lower, 4)).toBe(true);
    expectClose(factor.logDeterminant(), -Math.log(6048000), 'log det', 1e-12);
  });

  it('factors a smaller leading matrix packed at the start', () => {
    const factor = create();
    expect(factor.factor(Float64Array.from([4, 2, 2, 3]), 2)).toBe(true);
    const inverse = new Float64Array(4);
    factor.inverse(inverse);
    [0.375, -0.25, -0.25, 0.5].forEach((value, k) => expectClose(inverse[k]!, value, `inverse[${k}]`));
  });

  it('refuses singular, indefinite and non-finite matrices', () => {
    const factor = create();
    expect(factor.factor(Float64Array.from([1, 2, 2, 4]), 2)).toBe(false); // rank 1
    expect(factor.factor(Float64Array.from([1, 1, 1, 1 + 1e-15]), 2)).toBe(false); // singular to rounding
    expect(factor.factor(Float64Array.from([1, 3, 3, 1]), 2)).toBe(false); // indefinite
    expect(factor.factor(Float64Array.from([0, 0, 0, 1]), 2)).toBe(false);
    expect(factor.factor(Float64Array.from([1, Number.NaN, Number.NaN, 1]), 2)).toBe(false);
    expect(factor.factor(Float64Array.from([Number.POSITIVE_INFINITY, 0, 0, 1]), 2)).toBe(false);
  });
});

describe('symmetricInverse', () => {
  it('inverts a positive-definite matrix and returns null for a singular one', () => {
    const inverse = symmetricInverse(HILBERT, 4)!;
    inverse.forEach((value, k) => expectClose(value, HILBERT_INVERSE[k]!, `inverse[${k}]`, 1e-9));
    expect(symmetricInverse(Float64Array.from([1, 2, 2, 4]), 2)).toBeNull();
  });
});
