import * as tf from '@tensorflow/tfjs-core';
import {createTrainStep, valueAndGrads} from '@trellis/core';
import {Sequential, createTrellis, layers, losses, optimizers} from 'trellis';

await createTrellis({backend: 'cpu'});
const x = tf.randomNormal([64, 20], 0, 1, 'float32', 1);
const y = tf.randomUniform([64], 0, 3, 'int32', 2);
const model = new Sequential([
  layers.dense({units: 16, activation: 'relu', inputShape: [20]}),
  layers.dense({units: 3, activation: 'softmax'}),
]);
model.compile({optimizer: optimizers.adam({learningRate: 1e-3}), loss: 'sparse_categorical_crossentropy'});
const lossFn = losses.sparseCategoricalCrossentropy();

for (let step = 0; step < 5; step++) {
  const {value, grads} = valueAndGrads(() => tf.mean(lossFn(y, model.apply(x, {training: true}))), model);
  model.optimizer.applyGradients(grads, model.trainableVariables);
  tf.dispose([value, grads]);
}

// Or one step exactly as fit takes it (Keras' train_step), with the compiled loss and optimizer:
const trainStep = createTrainStep({model});
const {loss} = await trainStep.run(x, y);
console.log(loss);
tf.dispose([x, y]);
