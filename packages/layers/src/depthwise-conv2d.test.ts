import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, createRegistry, withSpec} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {depthwiseConv2d, layersPlugin, type DepthwiseConv2dOptions} from './index';
import {closeness} from '../test/testing';
import {expectCallsOnValuesLeakNothing} from '../test/call-leaks';
import {contextsDisposedAfterEach} from '../test/build-contexts';
import {channelSums, expectCallRefusedUntilBuilt, expectSameOutputAsOracle, seededKernelLayer, windowRun} from '../test/conv-runs';
import {convReference, convReferenceGradients} from '../test/testing-conv';

const context = contextsDisposedAfterEach('depthwise_conv2d');

type Case = {options: DepthwiseConv2dOptions; input: [number, number, number, number]};
const CASES: Record<string, Case> = {
  'valid 3x3': {options: {kernelSize: 3}, input: [2, 6, 7, 3]},
  'same 3x2, stride 2, multiplier 2': {options: {kernelSize: [3, 2], strides: 2, padding: 'same', depthMultiplier: 2}, input: [2, 7, 6, 3]},
  'valid 2x2, strides [2, 1], multiplier 3': {
    options: {kernelSize: 2, strides: [2, 1], depthMultiplier: 3, useBias: false},
    input: [1, 6, 5, 2],
  },
  'same 3x3, dilation 2': {options: {kernelSize: 3, dilationRate: 2, padding: 'same'}, input: [2, 7, 7, 2]},
  'valid 2x2, stride 2 and dilation 2': {options: {kernelSize: 2, strides: 2, dilationRate: 2}, input: [1, 7, 8, 2]},
};

function built({options, input}: Case, seed: number) {
  const outChannels = input[3] * (options.depthMultiplier ?? 1);
  return {...seededKernelLayer(depthwiseConv2d(options), input, outChannels, seed, context()), outChannels};
}

describe('depthwiseConv2d', () => {
  Object.entries(CASES).forEach(([name, testCase], i) => {
    it(`matches a float64 depthwise convolution, forward and backward (${name})`, () => {
      const {options, input} = testCase;
      const {layer, outputShape, kernel, bias, x, outChannels} = built(testCase, 70 * i);
      const {geometry, yShape, dyValues, y, dx, grads, dispose} = windowRun(layer, {x, input, outputShape}, 70 * i + 3, true);
      const useBias = options.useBias ?? true;
      const z = convReference(geometry, x, kernel).map((v, j) => v + (useBias ? bias[j % outChannels]! : 0));
      const ref = convReferenceGradients(geometry, x, kernel, dyValues);
      expect(y.shape).toEqual(yShape);
      expect(closeness(y.dataSync(), z, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(dx.dataSync(), ref.dx, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(grads[layer.kernel!.name]!.dataSync(), ref.dkernel, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      if (layer.bias) {
        expect(closeness(grads[layer.bias.name]!.dataSync(), channelSums(dyValues, outChannels), 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      }
      dispose();
    });
  });

  it("matches tfjs-layers' depthwiseConv2d with the same weights", () => {
    const testCase = CASES['same 3x2, stride 2, multiplier 2']!;
    const {layer, kernel, bias, x} = built(testCase, 8);
    const oracle = tfl.layers.depthwiseConv2d({
      kernelSize: [3, 2],
      strides: 2,
      padding: 'same',
      depthMultiplier: 2,
      weights: [tf.tensor(kernel, [3, 2, 3, 2]), tf.tensor1d(bias)],
    });
    expectSameOutputAsOracle(layer, oracle, x, testCase.input);
  });

  it("creates Keras' kernel [kh, kw, in, multiplier] and bias [in·multiplier]; its spec round-trips", () => {
    const reg = withSpec({id: 'acme/l2', config: {}}, (w: tf.Tensor) => tf.sum(tf.square(w)) as tf.Scalar);
    const layer = depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, depthwiseRegularizer: reg, inputShape: [8, 8, 3]});
    const c = context();
    expect(layer.build([8, 8, 3], c)).toEqual([6, 6, 6]);
    expect(c.requests.map((r) => [r.name, r.shape, r.initializer.spec.id])).toEqual([
      ['kernel', [3, 3, 3, 2], 'trellis/glorotUniform'],
      ['bias', [6], 'trellis/zeros'],
    ]);
    expect(c.requests[0]!.regularizer).toBe(reg);
    expect(layer.spec.config).toMatchObject({depthMultiplier: 2, depthwiseRegularizer: {id: 'acme/l2', config: {}}});
    const plain = depthwiseConv2d({kernelSize: [2, 3], padding: 'same', activation: 'relu'});
    expect(JSON.parse(JSON.stringify(plain.spec))).toEqual(plain.spec);
    expect(createRegistry(layersPlugin).resolve('layer', plain.spec).spec).toEqual(plain.spec);
  });

  it('rejects invalid options and shapes', () => {
    for (const options of [
      {},
      {kernelSize: 3, depthMultiplier: 0},
      {kernelSize: 3, depthMultiplier: 1.5},
      {kernelSize: 3, dataFormat: 'channelsFirst'},
      {kernelSize: 3, depthwiseInitializer: 0},
    ]) {
      expect(() => depthwiseConv2d(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = depthwiseConv2d({kernelSize: 3, name: 'd'});
    expect(() => layer.build([4, 4], context())).toThrow(ShapeError);
    expect(() => layer.build([2, 4, 1], context())).toThrow("depthwiseConv2d layer 'd': the kernel [3, 3] is larger than the input [2, 4]");
    expectCallRefusedUntilBuilt(layer, context());
  });

  it('leaks no tensors', async () => {
    const {layer, x} = built(CASES['same 3x3, dilation 2']!, 3);
    await expectCallsOnValuesLeakNothing(layer, x, CASES['same 3x3, dilation 2']!.input, true);
  });
});
