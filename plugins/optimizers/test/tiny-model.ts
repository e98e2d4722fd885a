// A dense layer with constant initial weights and a mean squared error, for
// tests that train through @trellis/core's fit loop without @trellis/layers.
import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Layer, type Loss} from '@trellis/core';

/** An initializer filling every weight with `value`. */
export const constant = (value: number) =>
  withSpec({id: 'test/constant', config: {value}}, (shape: readonly number[], dtype: tf.DataType) => tf.fill([...shape], value, dtype));

/** `x · kernel + bias` with kernel 0.1 and bias 0 at the start; `inputShape` for the first layer. */
export function dense(units: number, inputShape?: number[]): Layer {
  let kernel: tf.Variable;
  let bias: tf.Variable;
  return {
    name: '',
    ...(inputShape ? {inputShape} : {}),
    spec: {id: 'test/dense', config: {units}},
    build(shape, context) {
      kernel = context.addWeight({name: 'kernel', shape: [shape[0]!, units], initializer: constant(0.1)});
      bias = context.addWeight({name: 'bias', shape: [units], initializer: constant(0)});
      return [units];
    },
    call: (x) => tf.add(tf.matMul(x, kernel), bias),
  };
}

/** Mean squared error per sample. */
export const mse: Loss = withSpec(
  {id: 'test/mse', config: {}},
  ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.square(tf.sub(yPred, yTrue)), -1)) as unknown as Loss,
  {name: 'mse', targetKind: 'regression' as const, fromLogits: false},
) as Loss;
