/**
 * A tiny model written against `@trellis/core`'s contracts only: a dense layer
 * with constant initial weights, a mean squared error and plain SGD, for tests
 * that train through the fit loop without `@trellis/layers` or
 * `@trellis/optimizers`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type GradientTransform, type Layer, type Loss} from '@trellis/core';

/** An initializer (spec id `test/constant`) filling every weight, of any shape and dtype, with `value`. */
export const constantInitializer = (value: number) =>
  withSpec({id: 'test/constant', config: {value}}, (shape: readonly number[], dtype: tf.DataType) => tf.fill([...shape], value, dtype));

/**
 * A dense layer (spec id `test/dense`): `x · kernel + bias` for `x` of shape
 * `[batch, inputs]`, giving `[batch, units]`; the float32 kernel `[inputs, units]`
 * starts at 0.1 and the bias `[units]` at 0. `inputShape` (`[inputs]`) declares
 * the model's input for a first layer. The model owns and disposes the weights.
 */
export function tinyDense(units: number, inputShape?: number[]): Layer {
  let kernel: tf.Variable;
  let bias: tf.Variable;
  return {
    name: '',
    ...(inputShape ? {inputShape} : {}),
    spec: {id: 'test/dense', config: {units}},
    build(shape, context) {
      kernel = context.addWeight({name: 'kernel', shape: [shape[0]!, units], initializer: constantInitializer(0.1)});
      bias = context.addWeight({name: 'bias', shape: [units], initializer: constantInitializer(0)});
      return [units];
    },
    call: (x) => tf.add(tf.matMul(x, kernel), bias),
  };
}

/** Mean squared error (spec id `test/mse`, name `mse`): `mean((yPred - yTrue)²)` over the last axis, one value per sample. */
export const tinyMse: Loss = withSpec(
  {id: 'test/mse', config: {}},
  ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.square(tf.sub(yPred, yTrue)), -1)) as unknown as Loss,
  {name: 'mse', targetKind: 'regression' as const, fromLogits: false},
) as Loss;

/** Plain SGD without state: each update is `-learningRate · gradient`, new tensors the caller applies and disposes. */
export function plainSgd(learningRate: number): GradientTransform {
  return {
    init: () => ({}),
    update: (grads, state) => ({
      updates: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, -learningRate)])),
      state,
    }),
  };
}
