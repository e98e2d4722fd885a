import {Sequential, createTrellis, layers} from 'trellis';

await createTrellis({backend: 'cpu'}); // once per program; the default backend is 'wasm'

const model = new Sequential([
  layers.dense({units: 64, activation: 'relu', inputShape: [784]}),
  layers.dropout({rate: 0.2}),
  layers.dense({units: 10, activation: 'softmax'}),
]);
model.summary();
