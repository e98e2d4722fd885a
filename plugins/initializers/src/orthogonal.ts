import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, nextSeed, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkFloat32, checkNumber, checkSeed, seedPart} from './checks';

/** Config of {@link orthogonal}. */
export type OrthogonalConfig = {
  /** Factor on the orthogonal matrix (Keras default 1). */
  readonly gain?: number;
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<OrthogonalConfig>({gain: true, seed: true});

/**
 * A random orthogonal matrix times a gain (Keras `Orthogonal`, default `gain = 1`). The shape
 * `[...d, cols]` is flattened to `rows = ∏d` by `cols`; `A ~ N(0, 1)` of shape
 * `[max(rows, cols), min(rows, cols)]` is factored `A = QR`, `Q ← Q · diag(sign(diag(R)))`, transposed
 * when `rows < cols`, so `w = gain · Q` has `wᵀw = gain²·I` (rows ≥ cols) or `wwᵀ = gain²·I` (rows < cols).
 *
 * @see Saxe et al. 2014, "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a non-finite gain, a bad seed or an unknown option, and (when called) for a
 *   shape of rank below 2.
 */
export function orthogonal(config: OrthogonalConfig = {}): Initializer<OrthogonalConfig> {
  checkOptions('orthogonal', config, KEYS);
  const gain = checkNumber('orthogonal', 'gain', config.gain ?? 1);
  checkSeed('orthogonal', config.seed);
  const spec = {id: 'trellis/orthogonal', config: {gain, ...seedPart(config.seed)}};
  return withSpec(spec, (shape: readonly number[], dtype: tf.DataType, seed?: number) => {
    if (shape.length < 2) {
      throw new ConfigError(
        `orthogonal: shape must have rank 2 or more; got [${shape.join(', ')}] (rank ${shape.length}). Use randomNormal() for vectors.`,
      );
    }
    checkFloat32('orthogonal', dtype);
    const cols = shape[shape.length - 1]!;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const drawSeed = config.seed ?? seed ?? nextSeed();
    return tf.tidy(() => {
      const a = tf.randomNormal([Math.max(rows, cols), Math.min(rows, cols)], 0, 1, 'float32', drawSeed);
      const [q, r] = tf.linalg.qr(a);
      const signs = tf.sign(tf.sum(tf.linalg.bandPart(r!, 0, 0), 0));
      const uniform = tf.mul(q!, signs);
      const oriented = rows < cols ? tf.transpose(uniform) : uniform;
      return tf.mul(tf.reshape(oriented, [...shape]), tf.scalar(gain));
    });
  });
}
