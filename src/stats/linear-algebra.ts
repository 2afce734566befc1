/**
 * Dense symmetric positive-definite algebra on row-major Float64Array p × p matrices for the
 * regression fits (p is the number of coefficients, at most a few dozen). Only the lower triangle
 * of a symmetric input is read.
 *
 * General solves and inverses go through ml-matrix (MatrixCholesky, symmetricInverse). The
 * in-place functions below serve the Firth fits of the personal trigger analysis (two or three
 * coefficients, thousands of factorisations per diary), which they keep free of allocation in
 * their inner loop; ml-matrix allocates matrices for every factorisation (InPlaceCholesky).
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** A pivot at or below this fraction of its diagonal entry marks the matrix as singular. */
const PIVOT_TOLERANCE = 1e-13;

/**
 * Cholesky factor L (lower triangle of `out`, a = L L') of the p × p matrix `a`.
 * Returns false when `a` is not numerically positive definite (a pivot at or below 1e-13 of its
 * diagonal entry), which the fits treat as a singular information matrix.
 */
export function cholesky(a: Float64Array, p: number, out: Float64Array): boolean {
  for (let j = 0; j < p; j++) {
    const rowJ = j * p;
    let diagonal = a[rowJ + j]!;
    for (let k = 0; k < j; k++) {
      const l = out[rowJ + k]!;
      diagonal -= l * l;
    }
    if (!(diagonal > PIVOT_TOLERANCE * a[rowJ + j]!) || !(a[rowJ + j]! > 0)) return false;
    const root = Math.sqrt(diagonal);
    out[rowJ + j] = root;
    for (let i = j + 1; i < p; i++) {
      const rowI = i * p;
      let sum = a[rowI + j]!;
      for (let k = 0; k < j; k++) sum -= out[rowI + k]! * out[rowJ + k]!;
      out[rowI + j] = sum / root;
    }
    for (let i = 0; i < j; i++) out[i * p + j] = 0;
  }
  return true;
}

/** log det(a) from its Cholesky factor. */
export function logDeterminant(factor: Float64Array, p: number): number {
  let sum = 0;
  for (let j = 0; j < p; j++) sum += Math.log(factor[j * p + j]!);
  return 2 * sum;
}

/** Solves a x = b in place (`b` becomes x), given the Cholesky factor of a. */
export function choleskySolve(factor: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    const row = i * p;
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= factor[row + k]! * b[k]!;
    b[i] = sum / factor[row + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let k = i + 1; k < p; k++) sum -= factor[k * p + i]! * b[k]!;
    b[i] = sum / factor[i * p + i]!;
  }
}

/** The full symmetric inverse of a into `out`, given its Cholesky factor; `column` is p scratch values. */
export function choleskyInverse(factor: Float64Array, p: number, out: Float64Array, column: Float64Array): void {
  for (let j = 0; j < p; j++) {
    column.fill(0);
    column[j] = 1;
    choleskySolve(factor, p, column);
    for (let i = 0; i < p; i++) out[i * p + j] = column[i]!;
  }
}

/**
 * A Cholesky factorisation a = L L' of a symmetric q × q matrix, kept for solves, the inverse and
 * log det(a). Matrices are row-major Float64Arrays of q × q values.
 */
export interface SymmetricFactor {
  /** Factors `a` (q × q); false when it is not numerically positive definite (see `cholesky`). */
  factor(a: Float64Array, q: number): boolean;
  /** log det(a) of the last matrix factored. */
  logDeterminant(): number;
  /** Solves a x = b in place (the first q values of `b`). */
  solve(b: Float64Array): void;
  /** a⁻¹ into `out` (q × q). */
  inverse(out: Float64Array): void;
}

/** The in-place functions above behind SymmetricFactor, for matrices of at most `capacity` rows; allocates nothing after construction. */
export class InPlaceCholesky implements SymmetricFactor {
  private readonly lower: Float64Array;
  private readonly column: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.lower = new Float64Array(capacity * capacity);
    this.column = new Float64Array(capacity);
  }

  factor(a: Float64Array, q: number): boolean {
    this.size = q;
    return cholesky(a, q, this.lower);
  }

  logDeterminant(): number {
    return logDeterminant(this.lower, this.size);
  }

  solve(b: Float64Array): void {
    choleskySolve(this.lower, this.size, b);
  }

  inverse(out: Float64Array): void {
    choleskyInverse(this.lower, this.size, out, this.column);
  }
}

/** SymmetricFactor by ml-matrix's CholeskyDecomposition, with the same singularity rule as `cholesky`. */
export class MatrixCholesky implements SymmetricFactor {
  private decomposition: CholeskyDecomposition | null = null;
  private size = 0;

  factor(a: Float64Array, q: number): boolean {
    this.size = q;
    this.decomposition = null;
    for (let i = 0; i < q; i++) {
      if (!(a[i * q + i]! > 0)) return false;
      for (let j = 0; j < i; j++) if (!Number.isFinite(a[i * q + j]!)) return false;
    }
    const decomposition = new CholeskyDecomposition(symmetricMatrix(a, q));
    // ml-matrix fails only on a pivot ≤ 0; a rounding-level pivot also means a singular matrix.
    const lower = decomposition.lowerTriangularMatrix;
    for (let j = 0; j < q; j++) {
      const root = lower.get(j, j);
      if (!(root * root > PIVOT_TOLERANCE * a[j * q + j]!)) return false;
    }
    this.decomposition = decomposition;
    return true;
  }

  logDeterminant(): number {
    const lower = this.factored().lowerTriangularMatrix;
    let sum = 0;
    for (let j = 0; j < this.size; j++) sum += Math.log(lower.get(j, j));
    return 2 * sum;
  }

  solve(b: Float64Array): void {
    const x = this.factored().solve(Matrix.columnVector(Array.from(b.subarray(0, this.size))));
    for (let i = 0; i < this.size; i++) b[i] = x.get(i, 0);
  }

  inverse(out: Float64Array): void {
    const q = this.size;
    const inverse = this.factored().solve(Matrix.eye(q));
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) out[i * q + j] = inverse.get(i, j);
  }

  private factored(): CholeskyDecomposition {
    if (this.decomposition === null) throw new Error('MatrixCholesky: no positive-definite matrix factored');
    return this.decomposition;
  }
}

/** The inverse of the symmetric positive-definite p × p matrix `a` (lower triangle read); null when it is singular. */
export function symmetricInverse(a: Float64Array, p: number): Float64Array | null {
  const factor = new MatrixCholesky();
  if (!factor.factor(a, p)) return null;
  const out = new Float64Array(p * p);
  factor.inverse(out);
  return out;
}

/** An ml-matrix Matrix from the lower triangle of a row-major q × q array, mirrored (ml-matrix checks exact symmetry). */
function symmetricMatrix(a: Float64Array, q: number): Matrix {
  const matrix = new Matrix(q, q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      const value = a[i * q + j]!;
      matrix.set(i, j, value);
      matrix.set(j, i, value);
    }
  }
  return matrix;
}
