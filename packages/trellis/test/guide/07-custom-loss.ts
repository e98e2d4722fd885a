import * as tf from '@tensorflow/tfjs-core';
import {defineLoss} from '@trellis/core';
import {Sequential, createTrellis, layers, metrics} from 'trellis';

await createTrellis({backend: 'cpu'});

// A plain function, as Keras takes any callable: per-sample losses [batch] (or one scalar).
const meanAbsolute = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.abs(tf.sub(yTrue, yPred)), -1);

// Named, with what metrics need to know about the targets: defineLoss.
const weightedBce = (posWeight: number) =>
  defineLoss({
    name: 'weightedBce',
    targetKind: 'binary',
    fn: (yTrue, yPred) => {
      const p = tf.clipByValue(yPred, 1e-7, 1 - 1e-7);
      const terms = tf.add(tf.mul(tf.mul(yTrue, tf.log(p)), posWeight), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))));
      return tf.neg(tf.mean(terms, -1));
    },
  });
const meanError = metrics.defineMetric({name: 'mean_error', fn: (yTrue, yPred) => tf.sub(yPred, yTrue)});

const x = tf.randomUniform([64, 8], 0, 1, 'float32', 1);
const y = tf.cast(tf.greater(tf.sum(x, -1, true), 4), 'float32');
const model = new Sequential([layers.dense({units: 1, activation: 'sigmoid', inputShape: [8]})]);
model.compile({optimizer: 'adam', loss: weightedBce(5), metrics: ['accuracy', meanError]});
await model.fit(x, y, {epochs: 2});
model.compile({optimizer: 'adam', loss: meanAbsolute});
await model.fit(x, y, {epochs: 2});
tf.dispose([x, y]);
