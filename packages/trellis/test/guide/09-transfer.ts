import * as tf from '@tensorflow/tfjs-core';
import {cloneModel} from '@trellis/core';
import {Sequential, createTrellis, layers, optimizers} from 'trellis';

await createTrellis({backend: 'cpu'});
const x = tf.randomNormal([64, 20], 0, 1, 'float32', 1);
const y = tf.randomUniform([64], 0, 5, 'int32', 2);
const yBinary = tf.cast(tf.randomUniform([64, 1], 0, 2, 'int32', 3), 'float32');

const modelA = new Sequential([
  layers.dense({units: 16, activation: 'relu', inputShape: [20]}),
  layers.dense({units: 16, activation: 'relu'}),
  layers.dense({units: 5, activation: 'softmax'}),
]);
modelA.compile({optimizer: 'adam', loss: 'sparse_categorical_crossentropy'});
await modelA.fit(x, y, {epochs: 2});

const clone = cloneModel(modelA, {copyWeights: true}); // clone_model + set_weights: A stays A
const modelB = new Sequential([...clone.layers.slice(0, -1), layers.dense({units: 1, activation: 'sigmoid'})]);
for (const layer of modelB.layers.slice(0, -1)) layer.trainable = false;
modelB.compile({optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy']});
await modelB.fit(x, yBinary, {epochs: 2}); // only the new head trains

for (const layer of modelB.layers) layer.trainable = true;
modelB.compile({optimizer: optimizers.adam({learningRate: 1e-4}), loss: 'binary_crossentropy', metrics: ['accuracy']});
await modelB.fit(x, yBinary, {epochs: 2}); // fine-tune everything, slowly
tf.dispose([x, y, yBinary]);
