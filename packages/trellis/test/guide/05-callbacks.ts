import * as tf from '@tensorflow/tfjs-core';
import {Sequential, callbacks, createTrellis, data, layers} from 'trellis';

await createTrellis({backend: 'cpu'});
const {train} = await data.loadMnist({split: 'train', samples: 300});
const model = new Sequential([
  layers.dense({units: 32, activation: 'relu', inputShape: [784]}),
  layers.dense({units: 10, activation: 'softmax'}),
]);
model.compile({optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']});

await model.fit(train.x, train.y, {
  epochs: 4,
  validationSplit: 0.2,
  callbacks: [
    callbacks.earlyStopping({monitor: 'val_loss', patience: 2, restoreBestWeights: true}),
    callbacks.modelCheckpoint({filepath: 'best.keras', monitor: 'val_accuracy', saveBestOnly: true}),
    callbacks.reduceLROnPlateau({monitor: 'val_loss', factor: 0.5, patience: 1}),
    callbacks.tensorBoard({logDir: 'logs'}),
    callbacks.lambdaCallback({
      onEpochEnd: async (context) => console.log(context.epoch, await context.readLogs(['loss', 'val_loss'])),
    }),
  ],
});
tf.dispose(train);
