import {Sequential, createTrellis, layers, saving} from 'trellis';

await createTrellis({backend: 'cpu'});
const model = new Sequential([layers.dense({units: 10, activation: 'softmax', inputShape: [784]})]);
model.compile({optimizer: 'adam', loss: 'sparse_categorical_crossentropy'});

await model.save('m.keras'); // a Keras 3 archive: keras.saving.load_model reads it (saving.saveModel(model, 'm.keras'))
const again = await saving.loadModel('m.keras'); // compiled, optimizer state restored

await saving.saveModel(model, 'm_tfjs'); // TensorFlow.js layers format: m_tfjs/model.json + weight shards
const fromJson = await saving.loadModel('m_tfjs/model.json');

await saving.saveWeights(model, 'm.weights.h5'); // weights only, by name
await saving.loadWeights(again, 'm.weights.h5');
again.dispose();
fromJson.dispose();
