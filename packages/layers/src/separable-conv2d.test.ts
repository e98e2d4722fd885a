import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, separableConv2d, type SeparableConv2dOptions} from './index';
import {closeness, uniform} from '../test/testing';
import {expectCallsOnValuesLeakNothing} from '../test/call-leaks';
import {contextsDisposedAfterEach} from '../test/build-contexts';
import {expectCallRefusedUntilBuilt, expectSameOutputAsOracle, outputAndGradients, seededUniform, windowGeometry} from '../test/conv-runs';
import {convOutputShape, convReference, convReferenceGradients, type ConvGeometry} from '../test/testing-conv';

const context = contextsDisposedAfterEach('separable_conv2d');

type Case = {options: SeparableConv2dOptions; input: [number, number, number, number]};
const CASES: Record<string, Case> = {
  'valid 3x3': {options: {filters: 4, kernelSize: 3}, input: [2, 6, 7, 3]},
  'same 3x3, stride 2, multiplier 2': {
    options: {filters: 5, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2},
    input: [2, 8, 7, 2],
  },
  'valid 2x2, dilation 2': {options: {filters: 3, kernelSize: 2, dilationRate: 2, useBias: false}, input: [1, 6, 6, 3]},
};

function built({options, input}: Case, seed: number) {
  const layer = separableConv2d(options);
  const outputShape = layer.build(input.slice(1), context());
  const values = (v: tf.Variable, s: number) => uniform(randomGenerator(s), v.size, -1, 1);
  const depthwise = values(layer.depthwiseKernel!, seed);
  const pointwise = values(layer.pointwiseKernel!, seed + 1);
  const bias = uniform(randomGenerator(seed + 2), options.filters, -0.5, 0.5);
  layer.depthwiseKernel!.assign(tf.tensor(depthwise, layer.depthwiseKernel!.shape));
  layer.pointwiseKernel!.assign(tf.tensor(pointwise, layer.pointwiseKernel!.shape));
  layer.bias?.assign(tf.tensor1d(bias));
  const x = seededUniform(seed + 3, input, -2, 2);
  return {layer, outputShape, depthwise, pointwise, bias, x};
}

describe('separableConv2d', () => {
  Object.entries(CASES).forEach(([name, testCase], i) => {
    it(`matches a float64 depthwise then pointwise convolution, forward and backward (${name})`, () => {
      const {options, input} = testCase;
      const {layer, outputShape, depthwise, pointwise, bias, x} = built(testCase, 80 * i);
      const multiplier = options.depthMultiplier ?? 1;
      const first = windowGeometry(input, layer.depthwiseKernel!.shape, layer, true);
      const middle = convOutputShape(first);
      const second: ConvGeometry = {
        input: middle,
        kernel: [1, 1, input[3] * multiplier, options.filters],
        strides: [1, 1],
        padding: 'valid',
        dilation: [1, 1],
      };
      const yShape = convOutputShape(second);
      expect(outputShape).toEqual(yShape.slice(1));
      const dyValues = seededUniform(80 * i + 4, yShape, -1, 1);
      const variables = [layer.depthwiseKernel!, layer.pointwiseKernel!];
      const {y, dx, grads, dispose} = outputAndGradients(layer, x, input, dyValues, yShape, variables);

      const spread = convReference(first, x, depthwise);
      const useBias = options.useBias ?? true;
      const z = convReference(second, spread, pointwise).map((v, j) => v + (useBias ? bias[j % options.filters]! : 0));
      const back = convReferenceGradients(second, spread, pointwise, dyValues);
      const front = convReferenceGradients(first, x, depthwise, back.dx);
      expect(closeness(y.dataSync(), z, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(dx.dataSync(), front.dx, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(grads[layer.depthwiseKernel!.name]!.dataSync(), front.dkernel, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(grads[layer.pointwiseKernel!.name]!.dataSync(), back.dkernel, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      dispose();
    });
  });

  it("matches tfjs-layers' separableConv2d with the same weights", () => {
    const testCase = CASES['same 3x3, stride 2, multiplier 2']!;
    const {layer, depthwise, pointwise, bias, x} = built(testCase, 5);
    const oracle = tfl.layers.separableConv2d({
      filters: 5,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      depthMultiplier: 2,
      weights: [tf.tensor(depthwise, [3, 3, 2, 2]), tf.tensor(pointwise, [1, 1, 4, 5]), tf.tensor1d(bias)],
    });
    expectSameOutputAsOracle(layer, oracle, x, testCase.input);
  });

  it("creates Keras' depthwise_kernel, pointwise_kernel and bias; its spec round-trips", () => {
    const layer = separableConv2d({filters: 8, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu'});
    const c = context();
    expect(layer.build([6, 6, 3], c)).toEqual([6, 6, 8]);
    expect(c.requests.map((r) => [r.name, r.shape, r.initializer.spec.id])).toEqual([
      ['depthwise_kernel', [3, 3, 3, 2], 'trellis/glorotUniform'],
      ['pointwise_kernel', [1, 1, 6, 8], 'trellis/glorotUniform'],
      ['bias', [8], 'trellis/zeros'],
    ]);
    expect(layer.spec.id).toBe('trellis/separableConv2d');
    expect(JSON.parse(JSON.stringify(layer.spec))).toEqual(layer.spec);
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options and shapes', () => {
    for (const options of [
      {kernelSize: 3},
      {filters: 2, kernelSize: 3, depthMultiplier: -1},
      {filters: 2, kernelSize: 3, pointwiseInitializer: 1},
      {filters: 2, kernelSize: 3, dataFormat: 'channelsFirst'},
    ]) {
      expect(() => separableConv2d(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = separableConv2d({filters: 2, kernelSize: 3, name: 's'});
    expect(() => layer.build([5, 5, 2, 1], context())).toThrow(
      "separableConv2d layer 's' expects inputs of shape [batch, height, width, channels]",
    );
    expectCallRefusedUntilBuilt(layer, context());
  });

  it('leaks no tensors', async () => {
    const {layer, x} = built(CASES['valid 2x2, dilation 2']!, 3);
    await expectCallsOnValuesLeakNothing(layer, x, CASES['valid 2x2, dilation 2']!.input);
  });
});
