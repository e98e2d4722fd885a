// model.summary() against Keras' own: the same layer configs built in Keras
// must print the same table, character for character.
import {
  Sequential,
  backends,
  batchNormalization,
  conv2d,
  dense,
  dropout,
  flatten,
  input,
  layers,
  maxPooling2d,
  model,
  useBackend,
  type FunctionalModel,
} from 'trellis';
import {beforeAll, describe, expect, it} from 'vitest';
import {fashionCnn} from '../../examples/fashion-cnn/src/train-fashion-cnn';
import {field} from './harness/compare';
import {describeGraph} from './harness/functional-graph';
import {kerasLayer} from './harness/keras-config';
import {runPythonCheck} from './harness/python-check';

const models: [string, () => Sequential, number[]][] = [
  [
    'the lecture MLP (784-500-50-10)',
    () =>
      new Sequential([
        dense({units: 500, activation: 'relu', inputShape: [784]}),
        dense({units: 50, activation: 'relu'}),
        dense({units: 10, activation: 'softmax'}),
      ]),
    [784],
  ],
  [
    'a CNN with batch normalization (non-trainable parameters, wrapped type names)',
    () =>
      new Sequential([
        conv2d({filters: 32, kernelSize: 3, inputShape: [28, 28, 1]}),
        batchNormalization(),
        layers.activation({activation: 'relu'}),
        maxPooling2d({poolSize: 2}),
        flatten(),
        dropout({rate: 0.5}),
        dense({units: 10}),
      ]),
    [28, 28, 1],
  ],
  ['the Fashion-MNIST example (augmentation layers)', fashionCnn, [28, 28, 1]],
];

/** Functional models: a chain (Keras' three columns, with the InputLayer row), and graphs with "Connected to". */
const functionalModels: [string, () => FunctionalModel][] = [
  [
    'a chain of dense layers',
    () => {
      const x = input({shape: [784], name: 'pixels'});
      return model({
        inputs: x,
        outputs: dense({units: 10, name: 'logits'}).apply(dense({units: 32, activation: 'relu', name: 'hidden'}).apply(x)),
        name: 'chain',
      });
    },
  ],
  [
    'two inputs, a shared layer, two outputs',
    () => {
      const a = input({shape: [6], name: 'a'});
      const b = input({shape: [6], name: 'b'});
      const tower = dense({units: 5, activation: 'tanh', name: 'tower'});
      const merged = layers
        .concatenate({name: 'merged_features'})
        .apply([tower.apply(a), tower.apply(b), dense({units: 4, name: 'side'}).apply(b)]);
      return model({
        inputs: [a, b],
        outputs: [dense({units: 1, name: 'score'}).apply(merged), dense({units: 3, name: 'label'}).apply(merged)],
        name: 'two_by_two',
      });
    },
  ],
  [
    'a residual block',
    () => {
      const x = input({shape: [16], name: 'features'});
      const h = dense({units: 16, activation: 'relu', name: 'residual_branch_dense'}).apply(x);
      const sum = layers.add({name: 'skip'}).apply([x, dense({units: 16, name: 'projection'}).apply(h)]);
      return model({inputs: x, outputs: dense({units: 2, name: 'head'}).apply(sum), name: 'residual'});
    },
  ],
];

beforeAll(() => useBackend(backends.cpu()));

describe('summary() vs Keras model.summary()', () => {
  it.each(models)('%s: the same text', async (name, make, inputShape) => {
    const model = make();
    try {
      const ours = model.summary({print: false});
      const report = await runPythonCheck('keras_summary', name.split(' ')[1]!, {inputShape, layers: model.layers.map(kerasLayer)});
      expect(ours.lines.join('\n') + '\n').toBe(field(report, 'text'));
    } finally {
      model.dispose();
    }
  });
});

describe('summary() of functional models vs Keras', () => {
  it.each(functionalModels)('%s: the same text', async (name, make) => {
    const net = make();
    try {
      const ours = net.summary({print: false});
      const report = await runPythonCheck('keras_summary', `functional-${name.split(' ')[1]}`, {functional: describeGraph(net)});
      expect(ours.lines.join('\n') + '\n').toBe(field(report, 'text'));
    } finally {
      net.dispose();
    }
  });
});
