import {createTrellis, input, layers, model} from 'trellis';

await createTrellis({backend: 'cpu'});

const inputs = input({shape: [784]});
const hidden = layers.dense({units: 64, activation: 'relu'}).apply(inputs);
const outputs = layers.dense({units: 10, activation: 'softmax'}).apply(hidden);
const net = model({inputs, outputs});
net.summary();
