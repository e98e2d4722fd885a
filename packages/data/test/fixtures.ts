// A minimal layer, loss and optimizer written against @trellis/core's contracts, to train through fitDataset.
import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type GradientTransform, type Layer, type Loss} from '@trellis/core';

/** y = x·W + b with fixed initial weights. */
export function dense(units: number, inputs: number): Layer {
  let kernel: tf.Variable;
  let bias: tf.Variable;
  const init = (value: number) =>
    withSpec({id: 'test/constant', config: {value}}, (shape: readonly number[], dtype: tf.DataType) => tf.fill([...shape], value, dtype));
  return {
    name: '',
    inputShape: [inputs],
    spec: {id: 'test/dense', config: {units}},
    build(inputShape, context) {
      kernel = context.addWeight({name: 'kernel', shape: [inputShape[0]!, units], initializer: init(0.1)});
      bias = context.addWeight({name: 'bias', shape: [units], initializer: init(0)});
      return [units];
    },
    call: (x) => tf.add(tf.matMul(x, kernel), bias),
  };
}

export const mse: Loss = withSpec(
  {id: 'test/mse', config: {}},
  ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.square(tf.sub(yPred, yTrue)), -1)) as unknown as Loss,
  {name: 'mse', targetKind: 'regression' as const, fromLogits: false},
) as Loss;

export function sgd(learningRate: number): GradientTransform {
  return {
    init: () => ({}),
    update: (grads, state) => ({
      updates: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, -learningRate)])),
      state,
    }),
  };
}
