import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, withSpec, type Regularizer, optionKeys} from '@trellis/core';
import {orDefault, readArguments, type CallForms} from './arguments';
import {checkRate} from './validate';

/** Keras' `backend.epsilon()`: caps the inverse norm at `1 / EPSILON`. */
const EPSILON = 1e-7;

/** Config of {@link orthogonal} (`regularizers.orthogonal`). */
export type OrthogonalRegularizerConfig = {
  /** Factor (default 0.01). */
  readonly factor?: number;
  /** `'rows'` (default) makes the rows orthogonal, `'columns'` the columns. */
  readonly mode?: 'rows' | 'columns';
};

/** The spec config of {@link orthogonal}: every option, defaults filled in. */
type OrthogonalRegularizerSpec = {factor: number; mode: 'rows' | 'columns'};

const FORMS: CallForms = {
  who: 'orthogonalRegularizer',
  positional: ['factor'],
  allowed: optionKeys<OrthogonalRegularizerConfig>({factor: true, mode: true}),
  usage: "orthogonalRegularizer(0.01) or orthogonalRegularizer({factor: 0.01, mode: 'rows'})",
};

/**
 * Keras `OrthogonalRegularizer`, `regularizers.orthogonal` (spec id `trellis/orthogonal`; the
 * `orthogonal` initializer is another kind): with `v_i` the rows (or columns) of a rank-2 weight scaled by
 * `min(1 / ‖v_i‖, 1 / ε)` (ε = 1e-7) and `n` their count,
 * `penalty = factor · ½ · Σ_{i≠j} |v_i · v_j| / (n(n−1)/2)`, the mean |cosine| over pairs. Called with
 * options, `orthogonalRegularizer({factor: 0.01, mode: 'columns'})`, or with Keras' first argument,
 * `orthogonalRegularizer(0.01)`.
 *
 * @throws ConfigError for a negative/non-finite `factor`, an unknown `mode`, an unknown option or more
 *   than one argument; ShapeError (when called) for a weight that is not rank 2.
 * @returns a regularizer returning a new float32 scalar owned by the caller; the weight is not disposed.
 */
export function orthogonal(factor?: number): Regularizer<OrthogonalRegularizerSpec>;
export function orthogonal(config?: OrthogonalRegularizerConfig): Regularizer<OrthogonalRegularizerSpec>;
export function orthogonal(...args: unknown[]): Regularizer<OrthogonalRegularizerSpec> {
  const config = readArguments(FORMS, args);
  const factor = checkRate('orthogonalRegularizer', 'factor', orDefault(config.factor, 0.01), FORMS.usage);
  const mode = orDefault(config.mode, 'rows');
  if (mode !== 'rows' && mode !== 'columns') {
    throw new ConfigError(`orthogonalRegularizer: mode must be 'rows' or 'columns'; got ${describe(mode)}. Call it as ${FORMS.usage}.`);
  }
  return withSpec({id: 'trellis/orthogonal', config: {factor, mode}}, (weight: tf.Tensor) => {
    if (weight.rank !== 2) {
      throw new ShapeError(
        `orthogonalRegularizer: expected a rank-2 weight; got shape [${weight.shape.join(', ')}]. Use it on dense kernels.`,
      );
    }
    return tf.tidy(() => {
      const vectors = mode === 'rows' ? weight : tf.transpose(weight);
      const inverseNorm = tf.minimum(tf.rsqrt(tf.sum(tf.square(vectors), 1, true)), 1 / EPSILON);
      const unit = tf.mul(vectors, inverseNorm);
      const size = unit.shape[0] as number;
      const product = tf.matMul(unit, unit, false, true);
      const offDiagonal = tf.mul(product, tf.sub(1, tf.eye(size)));
      const pairs = (size * (size - 1)) / 2;
      return tf.div(tf.mul(factor * 0.5, tf.sum(tf.abs(offDiagonal))), pairs) as tf.Scalar;
    });
  });
}

/**
 * The orthogonal regularizer under its former flat name (spec id `trellis/orthogonal`).
 *
 * @deprecated Use `regularizers.orthogonal` (the regularizer; `initializers.orthogonal` is the
 * initializer) — removed in the next minor release.
 */
export const orthogonalRegularizer: typeof orthogonal = orthogonal;
