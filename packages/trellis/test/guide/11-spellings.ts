import {Sequential, createTrellis, layers} from 'trellis';

await createTrellis({backend: 'cpu'});
const model = new Sequential([
  layers.dense({units: 64, activation: 'relu', inputShape: [784], kernelInitializer: 'he_normal', kernelRegularizer: 'l2'}),
  layers.dense({units: 10, activation: 'softmax', biasInitializer: 'Zeros'}),
]);
model.compile({optimizer: 'SGD', loss: 'sparse_categorical_crossentropy', metrics: ['acc']});
