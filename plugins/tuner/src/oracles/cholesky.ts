/**
 * The little linear algebra a Gaussian process needs: a Cholesky factor and
 * triangular solves, on plain float64 arrays (a few dozen trials at most).
 * @module
 */
import {StateError} from '@trellis/core';

/** A dense square matrix, row by row. */
export type Matrix = number[][];

/**
 * The lower-triangular `L` with `L Lᵀ = A` for a symmetric positive
 * definite `A` (Cholesky–Banachiewicz).
 * @throws StateError when `A` is not positive definite (a pivot ≤ 0).
 */
export function cholesky(a: Matrix): Matrix {
  const n = a.length;
  const l: Matrix = Array.from({length: n}, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(sum > 0)) throw new StateError(`cholesky: the matrix is not positive definite (pivot ${sum} at row ${i}).`);
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  return l;
}

/** `x` with `L x = b` (forward substitution; `L` lower-triangular). */
export function solveLower(l: Matrix, b: readonly number[]): number[] {
  const x = new Array<number>(b.length);
  for (let i = 0; i < b.length; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

/** `x` with `Lᵀ x = b` (back substitution with the transpose of lower-triangular `L`). */
export function solveUpperTransposed(l: Matrix, b: readonly number[]): number[] {
  const n = b.length;
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

/** `x` with `A x = b`, given `L` of `A = L Lᵀ`. */
export function choleskySolve(l: Matrix, b: readonly number[]): number[] {
  return solveUpperTransposed(l, solveLower(l, b));
}
