import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkNumber} from './checks';

/** Config of {@link identity} (`initializers.identity`). */
export type IdentityConfig = {
  /** Factor on the identity matrix (Keras default 1). */
  readonly gain?: number;
};

const KEYS = optionKeys<IdentityConfig>({gain: true});

/**
 * The (possibly rectangular) identity matrix times a gain: `w[i][j] = gain · δᵢⱼ`
 * (Keras `Identity` / `IdentityInitializer`, default `gain = 1`). Only 2-D shapes `[rows, cols]`.
 * `initializers.identity`, spec id `trellis/identity` (`optimizers.identity` of `@trellis/optimizers`
 * is the optimizer transform).
 *
 * @returns an initializer whose `[rows, cols]` tensors of the given dtype belong to the caller.
 * @throws ConfigError for a non-finite gain or an unknown option, and (when called) for a shape that is not 2-D.
 */
export function identity(config: IdentityConfig = {}): Initializer<{gain: number}> {
  checkOptions('identityInitializer', config, KEYS);
  const gain = checkNumber('identityInitializer', 'gain', config.gain ?? 1);
  return withSpec({id: 'trellis/identity', config: {gain}}, (shape: readonly number[], dtype: tf.DataType) => {
    if (shape.length !== 2) {
      throw new ConfigError(
        `identityInitializer: shape must be 2-D [rows, cols]; got [${shape.join(', ')}] (rank ${shape.length}). Use orthogonal() for other ranks.`,
      );
    }
    return tf.tidy(() => tf.mul(tf.eye(shape[0]!, shape[1]!, undefined, dtype), tf.scalar(gain, dtype)));
  });
}

/**
 * The identity initializer under its former flat name (spec id `trellis/identity`).
 *
 * @deprecated Use `initializers.identity` (the initializer; `identity` is the optimizer transform of
 * `@trellis/optimizers`) — removed in the next minor release.
 */
export const identityInitializer: typeof identity = identity;
