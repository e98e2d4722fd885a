// model.summary() against Keras' own: the same layer configs built in Keras
// must print the same table, character for character.
import {
  Sequential,
  activation,
  batchNormalization,
  conv2d,
  dense,
  dropout,
  flatten,
  maxPooling2d,
  useBackend,
  cpu,
} from 'trellis';
import {beforeAll, describe, expect, it} from 'vitest';
import {fashionCnn} from '../../examples/fashion-cnn/src/train-fashion-cnn';
import {field} from './harness/compare';
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
        activation({activation: 'relu'}),
        maxPooling2d({poolSize: 2}),
        flatten(),
        dropout({rate: 0.5}),
        dense({units: 10}),
      ]),
    [28, 28, 1],
  ],
  ['the Fashion-MNIST example (augmentation layers)', fashionCnn, [28, 28, 1]],
];

beforeAll(() => useBackend(cpu()));

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
