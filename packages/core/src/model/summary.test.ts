import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {beforeAll, describe, expect, it} from 'vitest';
import {testDense} from '../../test/fixtures';
import {ConfigError, Sequential, layerTypeName} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The lecture's MNIST model: 784 → 500 → 50 → 10. */
const lectureMlp = () => new Sequential([testDense(500, {inputShape: [784]}), testDense(50), testDense(10)]);

describe('summary', () => {
  it("counts the lecture MLP's 418,060 parameters per layer and in total, like Keras", () => {
    const model = lectureMlp();
    const summary = model.summary({print: false});
    expect(summary.layers).toEqual([
      {name: 'dense', type: 'Dense', outputShape: [null, 500], params: 392_500, trainableParams: 392_500},
      {name: 'dense_1', type: 'Dense', outputShape: [null, 50], params: 25_050, trainableParams: 25_050},
      {name: 'dense_2', type: 'Dense', outputShape: [null, 10], params: 510, trainableParams: 510},
    ]);
    expect([summary.totalParams, summary.trainableParams, summary.nonTrainableParams]).toEqual([418_060, 418_060, 0]);
    expect(summary.totalBytes).toBe(418_060 * 4);
    expect(summary.totalParams).toBe(model.countParams());
    model.dispose();
  });

  it("prints Keras 3's table", () => {
    const model = lectureMlp();
    const printed: string[] = [];
    model.summary({print: (line) => printed.push(line)});
    expect(printed.join('\n')).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ dense (Dense)                   │ (None, 500)            │       392,500 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_1 (Dense)                 │ (None, 50)             │        25,050 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_2 (Dense)                 │ (None, 10)             │           510 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 418,060 (1.59 MB)',
        ' Trainable params: 418,060 (1.59 MB)',
        ' Non-trainable params: 0 (0.00 B)',
      ].join('\n'),
    );
    model.dispose();
  });

  it('reports frozen weights as non-trainable, and wraps or cuts cells that are too wide', () => {
    const model = new Sequential([testDense(3, {inputShape: [4]})], {name: 'frozen'});
    for (const w of model.weights) if (w.name.endsWith('/bias')) w.trainable = false;
    const summary = model.summary({print: false});
    expect([summary.trainableParams, summary.nonTrainableParams]).toEqual([12, 3]);
    expect(summary.lines.at(-1)).toBe(' Non-trainable params: 3 (12.00 B)');
    model.dispose();

    const named = testDense(2, {inputShape: [2]});
    named.name = 'a_very_long_layer_name_that_wraps_around';
    const wide = new Sequential([named]);
    expect(wide.summary({print: false}).lines.slice(4, 6)).toEqual([
      '│ a_very_long_layer_name_that_wr… │ (None, 2)              │             6 │',
      '│ (Dense)                         │                        │               │',
    ]);
    wide.dispose();
  });

  it('needs a built model', () => {
    const model = new Sequential([testDense(3)]);
    expect(() => model.summary({print: false})).toThrow(ConfigError);
    expect(() => model.summary({print: false})).toThrow(/not built.*inputShape/);
    model.build([4]);
    expect(model.summary({print: false}).totalParams).toBe(15);
    model.dispose();
  });

  it('names layer types as Keras classes', () => {
    expect(
      ['trellis/dense', 'trellis/conv2dTranspose', 'trellis/maxPooling2d', 'trellis/globalAveragePooling1d', 'acme/fancyBlock'].map(
        layerTypeName,
      ),
    ).toEqual(['Dense', 'Conv2DTranspose', 'MaxPooling2D', 'GlobalAveragePooling1D', 'FancyBlock']);
  });
});
