import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, Sequential, ShapeError, StateError, createRegistry, setSeed, withSpec} from '@trellis/core';
import {glorotUniform} from '@trellis/initializers';
import {catchError, expectNoTensorLeaks, plainSgd, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {conv2d, dense, flatten, layersPlugin, maxPooling2d, meanSquaredError, type Conv2dOptions} from './index';
import {callContext, closeness, kernelBiasSpecConfig, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';
import {channelSums, seededKernelLayer, windowRun} from '../test/conv-runs';
import {convReference, convReferenceGradients} from '../test/testing-conv';

const context = contextsDisposedAfterEach('conv2d');

type Case = {options: Conv2dOptions; input: [number, number, number, number]};
const CASES: Record<string, Case> = {
  'valid 3x3': {options: {filters: 4, kernelSize: 3}, input: [2, 6, 5, 3]},
  'same 3x2, strides [2, 1]': {options: {filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'same'}, input: [2, 7, 6, 2]},
  'same 3x3, stride 2, even input': {
    options: {filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'},
    input: [1, 8, 8, 3],
  },
  'valid 2x2, stride 3': {options: {filters: 5, kernelSize: 2, strides: 3, useBias: false}, input: [2, 7, 8, 1]},
  'valid 3x3, dilation 2': {options: {filters: 3, kernelSize: 3, dilationRate: 2}, input: [2, 7, 8, 2]},
  'same 2x3, dilation [2, 3]': {
    options: {filters: 2, kernelSize: [2, 3], dilationRate: [2, 3], padding: 'same', activation: 'tanh'},
    input: [1, 6, 9, 3],
  },
};

/** A built layer with seeded kernel and bias. */
function built({options, input}: Case, seed: number) {
  return seededKernelLayer(conv2d(options), input, options.filters, seed, context());
}

describe('conv2d', () => {
  Object.entries(CASES).forEach(([name, testCase], i) => {
    it(`matches a float64 convolution, forward and backward (${name})`, () => {
      const {options, input} = testCase;
      const {layer, outputShape, kernel, bias, x} = built(testCase, 100 * i);
      const {geometry, yShape, dyValues, y, dx, grads, dispose} = windowRun(layer, {x, input, outputShape}, 100 * i + 3);

      const useBias = options.useBias ?? true;
      const z = convReference(geometry, x, kernel).map((v, j) => v + (useBias ? bias[j % options.filters]! : 0));
      const act = (v: number) => (options.activation === 'relu' ? Math.max(v, 0) : options.activation === 'tanh' ? Math.tanh(v) : v);
      const dAct = (v: number) =>
        options.activation === 'relu' ? (v > 0 ? 1 : 0) : options.activation === 'tanh' ? 1 - Math.tanh(v) ** 2 : 1;
      const dz = z.map((v, j) => dyValues[j]! * dAct(v));
      const ref = convReferenceGradients(geometry, x, kernel, dz);
      expect(y.shape).toEqual(yShape);
      expect(closeness(y.dataSync(), z.map(act), 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(dx.dataSync(), ref.dx, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(grads[layer.kernel!.name]!.dataSync(), ref.dkernel, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      if (layer.bias) {
        expect(closeness(grads[layer.bias.name]!.dataSync(), channelSums(dz, options.filters), 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      }
      dispose();
    });
  });

  for (const name of ['valid 3x3', 'same 3x2, strides [2, 1]', 'same 3x3, stride 2, even input']) {
    it(`matches tfjs-layers' conv2d with the same weights (${name})`, () => {
      const testCase = CASES[name]!;
      const {layer, kernel, bias, x} = built(testCase, 7);
      const {options, input} = testCase;
      const oracle = tfl.layers.conv2d({
        filters: options.filters,
        kernelSize: options.kernelSize as number,
        strides: options.strides as number,
        padding: options.padding ?? 'valid',
        activation: (options.activation as 'relu') ?? 'linear',
        weights: [tf.tensor(kernel, layer.kernel!.shape), tf.tensor1d(bias)],
      });
      const xt = tf.tensor(x, input);
      const y = layer.call(xt, callContext(false));
      const yo = oracle.apply(xt) as tf.Tensor;
      expect(y.shape).toEqual(yo.shape);
      expect(closeness(y.dataSync(), yo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.square(layer.call(t, callContext(true)))))(xt);
      const dxo = tf.grad((t: tf.Tensor) => tf.sum(tf.square(oracle.apply(t) as tf.Tensor)))(xt);
      expect(closeness(dx.dataSync(), dxo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      tf.dispose([xt, y, yo, dx, dxo]);
      oracle.dispose();
    });
  }

  it('creates kernel [kh, kw, in, filters] and bias [filters] with Keras defaults', () => {
    const layer = conv2d({filters: 8, kernelSize: [3, 2]});
    const c = context();
    expect(layer.build([10, 9, 4], c)).toEqual([8, 8, 8]);
    expect(c.requests.map((r) => [r.name, r.shape, r.trainable, r.initializer.spec.id])).toEqual([
      ['kernel', [3, 2, 4, 8], true, 'trellis/glorotUniform'],
      ['bias', [8], true, 'trellis/zeros'],
    ]);
    const limit = Math.sqrt(6 / (3 * 2 * 4 + 3 * 2 * 8));
    expect(Array.from(layer.kernel!.dataSync()).every((v) => Math.abs(v) <= limit)).toBe(true);
    expect([layer.strides, layer.dilationRate, layer.padding, layer.dataFormat, layer.useBias]).toEqual([
      [1, 1],
      [1, 1],
      'valid',
      'channelsLast',
      true,
    ]);
    expect(layer.activation.spec.id).toBe('trellis/linear');
  });

  it('passes regularizers and constraints to the weight requests', () => {
    const reg = withSpec({id: 'acme/l2', config: {}}, (w: tf.Tensor) => tf.sum(tf.square(w)) as tf.Scalar);
    const cons = withSpec({id: 'acme/nonNeg', config: {}}, (w: tf.Tensor) => tf.relu(w));
    const layer = conv2d({filters: 2, kernelSize: 1, kernelRegularizer: reg, biasConstraint: cons});
    const c = context();
    layer.build([3, 3, 1], c);
    expect(c.requests[0]!.regularizer).toBe(reg);
    expect(c.requests[0]!.constraint).toBeUndefined();
    expect(c.requests[1]!.constraint).toBe(cons);
  });

  it('has a JSON spec that round-trips through the registry', () => {
    const layer = conv2d({
      filters: 16,
      kernelSize: [5, 3],
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: glorotUniform({seed: 1}),
      inputShape: [28, 28, 1],
      name: 'c1',
    });
    expect(layer.spec).toEqual({
      id: 'trellis/conv2d',
      config: {
        name: 'c1',
        filters: 16,
        kernelSize: [5, 3],
        strides: [2, 2],
        padding: 'same',
        dataFormat: 'channelsLast',
        dilationRate: [1, 1],
        ...kernelBiasSpecConfig('relu', 1),
        inputShape: [28, 28, 1],
      },
    });
    expect(JSON.parse(JSON.stringify(layer.spec))).toEqual(layer.spec);
    const registry = createRegistry(layersPlugin);
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    const plain = conv2d({filters: 1, kernelSize: 1});
    expect(registry.resolve('layer', plain.spec).spec).toEqual(plain.spec);
  });

  it('rejects invalid options with ConfigError', () => {
    const bad: unknown[] = [
      null,
      {kernelSize: 3},
      {filters: 0, kernelSize: 3},
      {filters: 2},
      {filters: 2, kernelSize: 0},
      {filters: 2, kernelSize: [3]},
      {filters: 2, kernelSize: [3, 2.5]},
      {filters: 2, kernelSize: 3, strides: 0},
      {filters: 2, kernelSize: 3, padding: 'causal'},
      {filters: 2, kernelSize: 3, strides: 2, dilationRate: 2},
      {filters: 2, kernelSize: 3, groups: 2},
      {filters: 2, kernelSize: 3, dataFormat: 'channelsFirst'},
      {filters: 2, kernelSize: 3, useBias: 1},
      {filters: 2, kernelSize: 3, kernelInitializer: () => tf.zeros([1])},
      {filters: 2, kernelSize: 3, name: 'a/b'},
    ];
    for (const options of bad) expect(() => conv2d(options as never), JSON.stringify(options)).toThrow(ConfigError);
    expect(catchError(() => conv2d({filters: 2, kernelSize: 3, groups: 2})).message).toMatch(/groups must be 1.*not supported/);
    expect(catchError(() => conv2d({filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as never})).message).toMatch(
      /channelsFirst' is not supported/,
    );
  });

  it('throws ShapeError naming the layer and shapes for inputs it cannot take', () => {
    const layer = conv2d({filters: 2, kernelSize: 3, name: 'c'});
    expect(() => layer.build([8, 8], context())).toThrow(ShapeError);
    expect(() => layer.build([8, 8], context())).toThrow("conv2d layer 'c' expects inputs of shape [batch, height, width, channels]");
    expect(() => layer.build([2, 8, 1], context())).toThrow(/conv2d layer 'c': the kernel \[3, 3\] is larger than the input \[2, 8\]/);
    const dilated = conv2d({filters: 2, kernelSize: 2, dilationRate: 3});
    expect(() => dilated.build([3, 8, 1], context())).toThrow(/dilated by \[3, 3\]/);
    expect(conv2d({filters: 2, kernelSize: 3, padding: 'same'}).build([2, 8, 1], context())).toEqual([2, 8, 2]);
    layer.build([8, 8, 3], context());
    const wrong = tf.zeros([1, 8, 8, 2]);
    expect(() => layer.call(wrong, callContext(false))).toThrow(
      'expects input of shape [batch, 8, 8, 3] (it was built for [8, 8, 3]); got [1, 8, 8, 2]',
    );
    const unbuilt = conv2d({filters: 1, kernelSize: 1});
    expect(() => unbuilt.call(wrong, callContext(false))).toThrow(StateError);
    wrong.dispose();
  });

  it('trains a small CNN (conv2d, maxPooling2d, flatten, dense) in a Sequential model without leaks', async () => {
    setSeed(3);
    const model = new Sequential([
      conv2d({filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [6, 6, 1]}),
      maxPooling2d(),
      flatten(),
      dense({units: 1}),
    ]);
    model.compile({optimizer: plainSgd(0.05), loss: meanSquaredError()});
    const x = tf.tensor4d(uniform(randomGenerator(1), 8 * 36, 0, 1), [8, 6, 6, 1]);
    const y = tf.tensor2d(uniform(randomGenerator(2), 8, -1, 1), [8, 1]);
    const before = model.getWeights();
    expect(Object.keys(before).sort()).toEqual(['conv2d/bias', 'conv2d/kernel', 'dense/bias', 'dense/kernel']);
    expect(before['conv2d/kernel']!.shape).toEqual([3, 3, 1, 4]);
    expect(before['dense/kernel']!.shape).toEqual([36, 1]);
    let losses: number[] = [];
    await expectNoTensorLeaks(async () => {
      const history = await model.fit(x, y, {epochs: 5, batchSize: 4});
      losses = history.history.loss as number[];
    });
    expect(losses).toHaveLength(5);
    expect(losses[4]!).toBeLessThan(losses[0]!);
    tf.dispose([x, y, ...Object.values(before)]);
    model.dispose();
  });

  it('leaks no tensors in forward and backward passes, nor when it throws', async () => {
    const {layer, x} = built(CASES['same 2x3, dilation [2, 3]']!, 5);
    const xt = tf.tensor(x, CASES['same 2x3, dilation [2, 3]']!.input);
    const bad = tf.zeros([1, 6, 9, 1]);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(xt, callContext(false)));
      const {value, grads} = tf.variableGrads(() => tf.sum(layer.call(xt, callContext(true))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
      tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(xt));
      expect(() => layer.call(bad, callContext(false))).toThrow(ShapeError);
    });
    tf.dispose([xt, bad]);
  });
});
