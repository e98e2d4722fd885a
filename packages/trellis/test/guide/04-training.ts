import * as tf from '@tensorflow/tfjs-core';
import {Sequential, createTrellis, data, layers} from 'trellis';

await createTrellis({backend: 'cpu'});
const {train, test} = await data.loadMnist({samples: 500}); // x / 255, flattened to [500, 784]

const model = new Sequential([
  layers.dense({units: 64, activation: 'relu', inputShape: [784]}),
  layers.dense({units: 10, activation: 'softmax'}),
]);
model.compile({optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']});
const history = await model.fit(train.x, train.y, {epochs: 3, batchSize: 32, validationSplit: 0.1});
console.log(history.history.val_accuracy); // one number per epoch

const {loss, accuracy} = await model.evaluate(test.x, test.y);
const probabilities = model.predict(test.x); // [500, 10], yours to dispose
const classes = tf.argMax(probabilities, -1);
console.log(loss, accuracy, classes.shape);
tf.dispose([train, test, probabilities, classes]);
