/**
 * Cholesky factorisation C = F·D·Fᵀ of a symmetric non-negative definite matrix (F unit lower
 * triangular, D diagonal) as R's survival package does it (cholesky2, chsolve2): a pivot below
 * `tolerance` × the largest diagonal marks its column as redundant, and solving then gives that
 * column 0 — a generalised inverse. Matrices are row-major p × p Float64Arrays.
 *
 * Written out rather than taken from ml-matrix because the Cox fit must decide redundancy exactly
 * as R does: coxph's Newton steps leave a redundant column where it is, and a column redundant at
 * the fit is NA. ml-matrix's Cholesky has no such tolerance: it fails only on a pivot ≤ 0.
 */
export interface SymmetricFactor {
  /** Number of columns that are not redundant. */
  rank: number;
  /** Indices of the redundant columns. */
  redundant: number[];
  /** x with C·x = b (redundant components 0). */
  solve(b: ArrayLike<number>): Float64Array;
}

export function factorSymmetric(matrix: ArrayLike<number>, p: number, tolerance: number): SymmetricFactor {
  const f = Float64Array.from(matrix);
  let largest = 0;
  for (let i = 0; i < p; i++) if (f[i * p + i]! > largest) largest = f[i * p + i]!;
  const threshold = largest * tolerance;
  const redundant: number[] = [];
  for (let i = 0; i < p; i++) {
    const pivot = f[i * p + i]!;
    if (!Number.isFinite(pivot) || !(pivot >= threshold) || largest === 0) {
      f[i * p + i] = 0;
      redundant.push(i);
      continue;
    }
    for (let j = i + 1; j < p; j++) {
      const ratio = f[j * p + i]! / pivot;
      f[j * p + i] = ratio;
      f[j * p + j] = f[j * p + j]! - ratio * ratio * pivot;
      for (let k = j + 1; k < p; k++) f[k * p + j] = f[k * p + j]! - ratio * f[k * p + i]!;
    }
  }

  const solve = (b: ArrayLike<number>): Float64Array => {
    const y = Float64Array.from(b);
    for (let i = 0; i < p; i++) {
      let value = y[i]!;
      for (let j = 0; j < i; j++) value -= y[j]! * f[i * p + j]!;
      y[i] = value;
    }
    for (let i = p - 1; i >= 0; i--) {
      const d = f[i * p + i]!;
      if (d === 0) {
        y[i] = 0;
        continue;
      }
      let value = y[i]! / d;
      for (let j = i + 1; j < p; j++) value -= y[j]! * f[j * p + i]!;
      y[i] = value;
    }
    return y;
  };

  return { rank: p - redundant.length, redundant, solve };
}
