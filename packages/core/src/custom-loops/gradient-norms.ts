/**
 * Gradient norms, to diagnose vanishing and exploding gradients.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {NamedTensors} from '../spec/state';

/**
 * The global L2 norm of all gradients, `sqrt(Σ_g Σ g²)` (what
 * `clipByGlobalNorm` compares against). Returns a new float32 scalar owned by
 * the caller; `grads` is not disposed. An empty record gives 0.
 */
export function globalNorm(grads: NamedTensors): tf.Scalar {
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return squares.length === 0 ? tf.scalar(0) : (tf.sqrt(tf.addN(squares)) as tf.Scalar);
  });
}

/**
 * The L2 norm of each gradient, by variable name (`dense_1/kernel`). New
 * scalars owned by the caller (read them with `await t.data()`, dispose them
 * with `tf.dispose(norms)`); `grads` is not disposed.
 */
export function normsByVariable(grads: NamedTensors): Record<string, tf.Scalar> {
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.tidy(() => tf.norm(g) as tf.Scalar)]));
}

/**
 * The L2 norm of each layer's gradients together, by layer name (the part of
 * a variable name before its last `/`: `dense_1/kernel` and `dense_1/bias`
 * count for `dense_1`). In a deep sigmoid network the first layers' norms are
 * orders of magnitude below the last ones': vanishing gradients. New scalars
 * owned by the caller; `grads` is not disposed.
 */
export function normsByLayer(grads: NamedTensors): Record<string, tf.Scalar> {
  const groups = new Map<string, tf.Tensor[]>();
  for (const [name, g] of Object.entries(grads)) {
    const cut = name.lastIndexOf('/');
    const layer = cut < 0 ? name : name.slice(0, cut);
    groups.set(layer, [...(groups.get(layer) ?? []), g]);
  }
  return Object.fromEntries(
    [...groups].map(([layer, gs]) => [layer, tf.tidy(() => tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g))))) as tf.Scalar)]),
  );
}
