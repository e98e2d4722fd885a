/**
 * Applying a last-axis op along any axis, and the activations that do (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ShapeError} from '@trellis/core';
import {checkAxisOption, defineConfigurableActivation} from './define';
import type {ActivationName, ConfigurableActivation} from './types';

/**
 * `op` applied along `axis` of `x` (negative counts from the end): tfjs'
 * softmax kernels normalize the last axis only, so another axis is swapped to
 * the end and back.
 *
 * @throws ShapeError for a scalar or an axis outside `[-rank, rank)`.
 */
export function alongAxis(name: string, x: tf.Tensor, axis: number, op: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  const rank = x.rank;
  if (rank === 0) {
    throw new ShapeError(`${name} normalizes along an axis and needs a tensor of rank ≥ 1; got a scalar.`);
  }
  if (axis < -rank || axis >= rank) {
    throw new ShapeError(
      `${name}: axis ${axis} is out of range for an input of rank ${rank} (shape [${x.shape.join(', ')}]); ` +
        `use an axis in [${-rank}, ${rank - 1}].`,
    );
  }
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved === rank - 1) return op(x);
  const perm = Array.from({length: rank}, (_, i) => i);
  perm[resolved] = rank - 1;
  perm[rank - 1] = resolved;
  return tf.tidy(() => tf.transpose(op(tf.transpose(x, perm)), perm));
}

/**
 * The configurable activation `name` (a function of that name) applying the
 * last-axis `op` along its `axis` option, default -1 (see {@link alongAxis}).
 */
export function defineAlongAxisActivation(
  name: ActivationName,
  op: (t: tf.Tensor) => tf.Tensor,
): ConfigurableActivation<{readonly axis: number}> {
  return defineConfigurableActivation({
    name,
    defaults: {axis: -1},
    check: (key, value) => checkAxisOption(name, key, value),
    make: ({axis}) => Object.defineProperty((x: tf.Tensor): tf.Tensor => alongAxis(name, x, axis, op), 'name', {value: name}),
  });
}
