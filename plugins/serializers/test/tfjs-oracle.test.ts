import {describe, expect, it} from 'vitest';
import {FunctionalModel, Sequential, applyLayer, input, model as functional, setSeed} from '@trellis/core';
import {
  add,
  averagePooling2d,
  batchNormalization,
  concatenate,
  conv1d,
  conv2d,
  conv2dTranspose,
  dense,
  depthwiseConv2d,
  dropout,
  eluLayer,
  embedding,
  flatten,
  globalAveragePooling1d,
  layerNormalization,
  leakyReLU,
  maxPooling2d,
  reshape,
  separableConv2d,
  zeroPadding2d,
} from '@trellis/layers';
import {heNormal, lecunNormal} from '@trellis/initializers';
import {l1, l2, maxNorm} from '@trellis/regularizers';
import {loadModel, saveModel} from '../src/index';
import {data, testRegistry, tf, tfjsLoadFolder, tfjsSaveFolder, tfl, values} from './helpers';
import {scratchDir, useScratchFolders} from './scratch';

const registry = testRegistry();
let dir = '';

useScratchFolders();

/** Predictions agree to float32 rounding (tfjs-layers runs other kernels, e.g. fused matMul). */
function expectClose(a: Float32Array, b: Float32Array) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!), `element ${i}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(a[i]!)));
}

describe('tf.loadLayersModel reads what Trellis writes', () => {
  const cases: [string, () => Sequential | FunctionalModel, () => tf.Tensor | tf.Tensor[]][] = [
    [
      'an MLP with regularizers, constraints and dropout',
      () =>
        new Sequential([
          dense({
            units: 16,
            activation: 'relu',
            inputShape: [6],
            kernelInitializer: heNormal(),
            kernelRegularizer: l2({l2: 0.01}),
            biasRegularizer: l1({l1: 0.1}),
            kernelConstraint: maxNorm({maxValue: 2}),
          }),
          dropout({rate: 0.3}),
          dense({units: 8, activation: 'tanh', kernelInitializer: lecunNormal()}),
          leakyReLU({negativeSlope: 0.2}),
          dense({units: 3, activation: 'softmax'}),
        ]),
      () => data([5, 6], 11),
    ],
    [
      'a CNN with batch normalization, pooling, padding and separable / depthwise / transposed convolutions',
      () =>
        new Sequential([
          zeroPadding2d({padding: 1, inputShape: [8, 8, 2]}),
          conv2d({filters: 4, kernelSize: 3, activation: 'relu'}),
          batchNormalization({momentum: 0.9}),
          depthwiseConv2d({kernelSize: 3, padding: 'same', depthMultiplier: 2}),
          separableConv2d({filters: 3, kernelSize: 2, padding: 'same'}),
          conv2dTranspose({filters: 2, kernelSize: 2, strides: 2}),
          maxPooling2d({poolSize: 2}),
          averagePooling2d({poolSize: 2}),
          eluLayer(),
          flatten(),
          dense({units: 2}),
        ]),
      () => data([3, 8, 8, 2], 12),
    ],
    [
      'a sequence model with embedding, conv1d, layer normalization and reshape',
      () =>
        new Sequential([
          embedding({inputDim: 20, outputDim: 4, inputShape: [6]}),
          conv1d({filters: 3, kernelSize: 2, padding: 'same', activation: 'relu'}),
          layerNormalization(),
          globalAveragePooling1d(),
          reshape({targetShape: [3, 1]}),
          flatten(),
        ]),
      () =>
        tf.tensor2d(
          [
            [1, 2, 3, 4, 5, 6],
            [0, 19, 7, 7, 1, 2],
          ],
          [2, 6],
          'int32',
        ),
    ],
    [
      'a two-input functional model with merge layers',
      () => {
        const a = input({shape: [4], name: 'left'});
        const b = input({shape: [4], name: 'right'});
        const shared = dense({units: 4, name: 'shared'});
        const sum = applyLayer(add(), [applyLayer(shared, a), applyLayer(shared, b)]);
        const joined = applyLayer(concatenate(), [sum, b]);
        return functional({inputs: [a, b], outputs: applyLayer(dense({units: 2, activation: 'sigmoid'}), joined)});
      },
      () => [data([3, 4], 13), data([3, 4], 14)],
    ],
  ];

  for (const [name, make, x] of cases) {
    it(name, async () => {
      dir = await scratchDir();
      setSeed(21);
      const model = make();
      void model.weights;
      // Give batch-normalization statistics values of their own.
      for (const w of model.weights)
        if (w.name.includes('moving')) w.variable.assign(tf.add(w.variable, tf.randomUniform(w.variable.shape, 0.1, 0.5, 'float32', 3)));
      await saveModel(model, dir);
      const oracle = await tfjsLoadFolder(dir);
      const input = x();
      expectClose(values(oracle.predict(input) as tf.Tensor), values(model.predict(input as never)));
      // tfjs-layers names the weights as Trellis does, but for its depthwise kernels (Keras 2's name).
      const expected = model.weights.map((w) => w.name.replace(/^(depthwise_conv2d[^/]*)\/kernel$/, '$1/depthwise_kernel'));
      expect(oracle.weights.map((w) => w.originalName).sort()).toEqual(expected.sort());
      oracle.dispose();
      model.dispose();
      tf.dispose(input);
    });
  }
});

describe('loadModel reads what tfjs-layers model.save wrote', () => {
  it('a compiled Sequential model (trainingConfig compiles the Trellis model)', async () => {
    dir = await scratchDir();
    const m = tfl.sequential({
      layers: [
        tfl.layers.dense({units: 8, inputShape: [5], activation: 'relu', kernelRegularizer: tfl.regularizers.l2({l2: 0.01})}),
        tfl.layers.dropout({rate: 0.2}),
        tfl.layers.batchNormalization(),
        tfl.layers.dense({units: 3, activation: 'softmax'}),
      ],
    });
    m.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
    const x = data([12, 5], 31);
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3), 'float32');
    await m.fit(x, y, {epochs: 2, verbose: 0});
    await tfjsSaveFolder(m, dir, true);
    const loaded = await loadModel(dir, {registry});
    expect(loaded).toBeInstanceOf(Sequential);
    expectClose(values(loaded.predict(x)), values(m.predict(x) as tf.Tensor));
    expect(loaded.compiled.optimizer.spec).toEqual({id: 'trellis/adam', config: expect.objectContaining({learningRate: 0.01})});
    expect(loaded.compiled.loss.spec.id).toBe('trellis/categoricalCrossentropy');
    await loaded.fit(x, y, {epochs: 1});
    loaded.dispose();
    m.dispose();
    tf.dispose([x, y]);
  });

  it('depthwise, separable and transposed convolutions (tfjs weight names)', async () => {
    dir = await scratchDir();
    const m = tfl.sequential({
      layers: [
        tfl.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [5, 5, 2]}),
        tfl.layers.separableConv2d({filters: 3, kernelSize: 2, activation: 'relu'}),
        tfl.layers.conv2dTranspose({filters: 2, kernelSize: 2, strides: 2, kernelInitializer: 'leCunNormal'}),
        tfl.layers.globalAveragePooling2d({}),
      ],
    });
    await tfjsSaveFolder(m, dir);
    const loaded = await loadModel(dir, {registry});
    const x = data([2, 5, 5, 2], 51);
    expectClose(values(loaded.predict(x)), values(m.predict(x) as tf.Tensor));
    expect(loaded.weights.map((w) => w.name)).toContain(`${m.layers[0]!.name}/kernel`);
    loaded.dispose();
    m.dispose();
    x.dispose();
  });

  it('a functional CNN with its topology (InputLayer, inbound nodes, concatenate)', async () => {
    dir = await scratchDir();
    const image = tfl.input({shape: [6, 6, 1], name: 'image'});
    const extra = tfl.input({shape: [2], name: 'extra'});
    let h = tfl.layers.conv2d({filters: 2, kernelSize: 3, padding: 'same', activation: 'relu'}).apply(image) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.maxPooling2d({poolSize: 2}).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
    const joined = tfl.layers.concatenate().apply([h, extra]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({units: 2, activation: 'softmax'}).apply(joined) as tfl.SymbolicTensor;
    const m = tfl.model({inputs: [image, extra], outputs: out});
    await tfjsSaveFolder(m, dir);
    const loaded = await loadModel(`file://${dir}/model.json`, {registry});
    expect(loaded).toBeInstanceOf(FunctionalModel);
    expect(loaded.inputNames).toEqual(['image', 'extra']);
    const xs = [data([4, 6, 6, 1], 41), data([4, 2], 42)];
    expectClose(values(loaded.predict(xs)), values(m.predict(xs) as tf.Tensor));
    loaded.dispose();
    m.dispose();
    tf.dispose(xs);
  });
});
