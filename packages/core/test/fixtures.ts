// Minimal layer, loss, transform and metric written against the contracts only,
// so the core's loop is tested without any plugin package.
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, Initializer, Layer, Loss, Metric} from '../src/index';
import {withSpec} from '../src/index';

export const constantInit = (value: number): Initializer =>
  withSpec({id: 'test/constant', config: {value}}, (shape: readonly number[], dtype: tf.DataType) => tf.fill([...shape], value, dtype));

export const seededInit = (): Initializer =>
  withSpec({id: 'test/uniform', config: {}}, (shape: readonly number[], dtype: tf.DataType, seed?: number) =>
    tf.randomUniform([...shape], -0.5, 0.5, dtype, seed),
  );

/** y = x·W + b, optionally relu, optionally inverted dropout on the input. */
export function testDense(
  units: number,
  options: {inputShape?: number[]; relu?: boolean; dropout?: number; init?: Initializer} = {},
): Layer {
  let kernel: tf.Variable;
  let bias: tf.Variable;
  const layer: Layer = {
    name: '',
    ...(options.inputShape ? {inputShape: options.inputShape} : {}),
    spec: {id: 'test/dense', config: {units}},
    build(inputShape, context) {
      kernel = context.addWeight({name: 'kernel', shape: [inputShape[0]!, units], initializer: options.init ?? seededInit()});
      bias = context.addWeight({name: 'bias', shape: [units], initializer: constantInit(0)});
      return [units];
    },
    call(input, context) {
      let x = input;
      if (options.dropout && context.training) x = tf.dropout(x, options.dropout, undefined, context.nextSeed());
      const y = tf.add(tf.matMul(x, kernel), bias);
      return options.relu ? tf.relu(y) : y;
    },
  };
  return layer;
}

export const mse: Loss = withSpec(
  {id: 'test/mse', config: {}},
  ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.square(tf.sub(yPred, yTrue)), -1)) as unknown as Loss,
  {name: 'mse', targetKind: 'regression' as const, fromLogits: false},
) as Loss;

/** Sparse softmax crossentropy from logits (class ids `[batch]`), written against the contract only. */
export const sparseCe: Loss = withSpec(
  {id: 'test/sparseCe', config: {}},
  ((yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.neg(
      tf.sum(tf.mul(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), yPred.shape[1]!), tf.logSoftmax(yPred)), -1),
    )) as unknown as Loss,
  {name: 'sparse_ce', targetKind: 'sparse' as const, fromLogits: true},
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

/** Mean absolute error as a streaming metric. */
export const mae: Metric = {
  name: 'mae',
  spec: {id: 'test/mae', config: {}},
  init: () => ({sum: tf.scalar(0), count: tf.scalar(0)}),
  update: (state, yTrue, yPred) => {
    const s = state as {sum: tf.Scalar; count: tf.Scalar};
    return {
      sum: tf.add(s.sum, tf.sum(tf.abs(tf.sub(yPred, yTrue)))),
      count: tf.add(s.count, tf.scalar(yTrue.size)),
    };
  },
  result: (state) => {
    const s = state as {sum: tf.Scalar; count: tf.Scalar};
    return tf.div(s.sum, s.count) as tf.Scalar;
  },
};
