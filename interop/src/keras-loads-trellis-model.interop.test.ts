// Python as consumer: Trellis trains the main job's MLP and writes its layer
// configs and weights; Keras builds the model from them, loads the weights and
// predicts on the 10,000 MNIST test images. Keras must see the same
// architecture and give the same predictions.
import * as tf from '@tensorflow/tfjs-core';
import {adam, loadMnist, setSeed, sparseCategoricalCrossentropy} from 'trellis';
import {beforeAll, describe, expect, it} from 'vitest';
import {activate} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLayer} from './harness/keras-config';
import {mnistMlp, weightsPerLayer} from './harness/mnist-mlp';
import {runPythonCheck} from './harness/python-check';
import {toHost, type HostTensor, type TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-5;

describe('Keras loads a model trained by Trellis', () => {
  let predictions: HostTensor;
  let labels: Int32Array;
  let report: TreeOut;
  let parameterCount: number;

  beforeAll(async () => {
    await activate('wasm');
    const {train} = await loadMnist({split: 'train', samples: 5000});
    const {test} = await loadMnist({split: 'test'});
    setSeed(3);
    const model = mnistMlp();
    model.compile({optimizer: adam({learningRate: 1e-3}), loss: sparseCategoricalCrossentropy()});
    await model.fit(train.x, train.y, {epochs: 2, batchSize: 128});
    parameterCount = model.countParams();
    const output = model.predict(test.x);
    predictions = await toHost(output);
    labels = (await test.y.data()) as Int32Array;
    report = await runPythonCheck('keras_predict', 'mnist-mlp', {
      inputShape: [784],
      layers: model.layers.map(kerasLayer),
      weights: await weightsPerLayer(model),
      x: await toHost(test.x),
    });
    tf.dispose([train.x, train.y, test.x, test.y, output]);
    model.dispose();
  });

  it('sees three Dense layers with our output shapes and parameter count', () => {
    expect(field(report, 'layers')).toEqual([
      {className: 'Dense', outputShape: [512]},
      {className: 'Dense', outputShape: [128]},
      {className: 'Dense', outputShape: [10]},
    ]);
    expect(field(report, 'parameterCount')).toBe(parameterCount);
    expect(parameterCount).toBe(784 * 512 + 512 + 512 * 128 + 128 + 128 * 10 + 10);
  });

  it(`predicts what Trellis predicts on the 10,000 test images (within ${TOLERANCE})`, async () => {
    const theirs = field(report, 'predictions') as HostTensor;
    await expectClose('predictions', predictions, theirs, TOLERANCE);
    const argmax = (p: HostTensor, row: number) => {
      const slice = Array.from(p.values.subarray(row * 10, row * 10 + 10));
      return slice.indexOf(Math.max(...slice));
    };
    let agree = 0;
    let correct = 0;
    for (let row = 0; row < labels.length; row++) {
      const ours = argmax(predictions, row);
      if (ours === argmax(theirs, row)) agree++;
      if (ours === labels[row]) correct++;
    }
    console.log(`${worstErrors()}; classes agree on ${agree} of ${labels.length}; test accuracy ${(correct / labels.length).toFixed(4)}`);
    expect(agree).toBeGreaterThanOrEqual(labels.length - 2); // a near tie may flip within float32 rounding
    expect(correct / labels.length).toBeGreaterThan(0.9);
  });
});
