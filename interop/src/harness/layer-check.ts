/**
 * One layer against Keras' result for the same case (`layer` kind): the
 * output, the input gradient and the gradient of every trainable weight for
 * the case's output cotangent.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {callContext, createBuildContext} from '@trellis/testing';
import type {Layer} from 'trellis';
import {tidyAsync, toTensor} from './cases';
import {expectClose, field} from './compare';
import type {HostTensor, TreeOut} from './tensor-tree';

/** What {@link expectLayerMatchesKeras} compares. */
export type LayerComparison = {
  /** The case's name, the start of every failure message. */
  readonly name: string;
  /** A fresh, unbuilt layer; it is built on `inputShape` here. */
  readonly layer: Layer;
  /** Without the batch dimension. */
  readonly inputShape: readonly number[];
  /** The input, `[batch, ...inputShape]`. */
  readonly x: HostTensor;
  /** The output cotangent, shaped like the layer's output. */
  readonly dy: HostTensor;
  /** Weight values by the weight's short name, assigned after building; the other weights keep their initial values. */
  readonly weights: Readonly<Record<string, HostTensor>>;
  /** Keras' result for the case: `y`, `dx` and `dweights.<name>`. */
  readonly keras: TreeOut | undefined;
  readonly tolerance: number;
  /** The `training` flag of every call (default false). */
  readonly training?: boolean;
  /** The layer name the build context prefixes the weights' variable names with (default `'layer'`). */
  readonly contextName?: string;
};

/**
 * Builds the layer, assigns the weights, then expects its output, the
 * gradient of the input (for a float32 input) and of each trainable weight to
 * match Keras' within the tolerance. Every tensor it makes is disposed, the
 * build context's weights included.
 */
export async function expectLayerMatchesKeras(comparison: LayerComparison): Promise<void> {
  const {name, layer, keras, tolerance, training = false} = comparison;
  const context = createBuildContext(comparison.contextName ?? 'layer');
  try {
    layer.build([...comparison.inputShape], context);
    for (const [weight, values] of Object.entries(comparison.weights)) context.weights.get(weight)!.assign(toTensor(values));
    const trainable = context.requests.filter((r) => r.trainable ?? true).map((r) => r.name);
    await tidyAsync(async () => {
      const input = toTensor(comparison.x);
      const cotangent = toTensor(comparison.dy);
      const objective = (t: tf.Tensor) => tf.sum(tf.mul(layer.call(t, callContext(training)), cotangent)) as tf.Scalar;
      await expectClose(`${name} output`, layer.call(input, callContext(training)), field(keras, 'y'), tolerance);
      if (input.dtype === 'float32') {
        await expectClose(`${name} input gradient`, tf.grad(objective)(input), field(keras, 'dx'), tolerance);
      }
      if (trainable.length === 0) return;
      const variables = trainable.map((w) => context.weights.get(w)!);
      const {grads} = tf.variableGrads(() => objective(input), variables);
      for (const weight of trainable) {
        const grad = grads[context.weights.get(weight)!.name]!;
        await expectClose(`${name} ${weight} gradient`, grad, field(keras, 'dweights', weight), tolerance);
      }
    });
  } finally {
    context.dispose();
  }
}
