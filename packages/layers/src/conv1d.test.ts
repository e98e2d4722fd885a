import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {conv1d, layersPlugin, type Conv1dOptions} from './index';
import {callContext, closeness, uniform} from '../test/testing';
import {expectCallsOnValuesLeakNothing} from '../test/call-leaks';
import {contextsDisposedAfterEach} from '../test/build-contexts';
import {expectSameOutputAsOracle, outputAndGradients, seededKernelLayer} from '../test/conv-runs';
import {convOutputShape, convReference, convReferenceGradients, type ConvGeometry} from '../test/testing-conv';

const context = contextsDisposedAfterEach('conv1d');

type Case = {options: Conv1dOptions; input: [number, number, number]};
const CASES: Record<string, Case> = {
  'valid 3': {options: {filters: 4, kernelSize: 3}, input: [2, 9, 3]},
  'same 4, stride 2': {options: {filters: 3, kernelSize: 4, strides: 2, padding: 'same'}, input: [3, 9, 2]},
  'same 2, stride 3': {options: {filters: 2, kernelSize: 2, strides: 3, padding: 'same', useBias: false}, input: [2, 10, 3]},
  'valid 3, dilation 2': {options: {filters: 2, kernelSize: 3, dilationRate: 2}, input: [2, 11, 2]},
};

function built({options, input}: Case, seed: number) {
  return seededKernelLayer(conv1d(options), input, options.filters, seed, context());
}

describe('conv1d', () => {
  Object.entries(CASES).forEach(([name, testCase], i) => {
    it(`matches a float64 convolution, forward and backward (${name})`, () => {
      const {options, input} = testCase;
      const {layer, outputShape, kernel, bias, x} = built(testCase, 50 * i);
      const [b, steps, c] = input;
      // A 1-D convolution is the 2-D one over a height of 1.
      const geometry: ConvGeometry = {
        input: [b, 1, steps, c],
        kernel: [1, layer.kernelSize[0]!, c, options.filters],
        strides: [1, layer.strides[0]!],
        padding: layer.padding,
        dilation: [1, layer.dilationRate[0]!],
      };
      const [, , outSteps] = convOutputShape(geometry);
      expect(outputShape).toEqual([outSteps, options.filters]);
      const n = b * outSteps * options.filters;
      const dyValues = uniform(randomGenerator(50 * i + 3), n, -1, 1);
      const {y, dx, grads, dispose} = outputAndGradients(layer, x, input, dyValues, [b, outSteps, options.filters], [layer.kernel!]);
      const useBias = options.useBias ?? true;
      const z = convReference(geometry, x, kernel).map((v, j) => v + (useBias ? bias[j % options.filters]! : 0));
      const ref = convReferenceGradients(geometry, x, kernel, dyValues);
      expect(y.shape).toEqual([b, outSteps, options.filters]);
      expect(closeness(y.dataSync(), z, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(dx.dataSync(), ref.dx, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(grads[layer.kernel!.name]!.dataSync(), ref.dkernel, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      dispose();
    });
  });

  it("matches tfjs-layers' conv1d with the same weights", () => {
    const testCase = CASES['same 4, stride 2']!;
    const {layer, kernel, bias, x} = built(testCase, 9);
    const oracle = tfl.layers.conv1d({
      filters: 3,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      weights: [tf.tensor(kernel, [4, 2, 3]), tf.tensor1d(bias)],
    });
    expectSameOutputAsOracle(layer, oracle, x, testCase.input);
  });

  it('creates kernel [k, in, filters] and bias [filters]; its spec round-trips', () => {
    const layer = conv1d({filters: 6, kernelSize: 5, strides: 2, activation: 'relu', inputShape: [20, 4]});
    const c = context();
    expect(layer.build([20, 4], c)).toEqual([8, 6]);
    expect(c.requests.map((r) => [r.name, r.shape, r.initializer.spec.id])).toEqual([
      ['kernel', [5, 4, 6], 'trellis/glorotUniform'],
      ['bias', [6], 'trellis/zeros'],
    ]);
    expect(layer.spec.id).toBe('trellis/conv1d');
    expect(layer.spec.config).toMatchObject({kernelSize: [5], strides: [2], dilationRate: [1], padding: 'valid', activation: 'relu'});
    expect(JSON.parse(JSON.stringify(layer.spec))).toEqual(layer.spec);
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options and shapes', () => {
    for (const options of [
      {filters: 2},
      {filters: 2, kernelSize: [3, 3]},
      {filters: 2, kernelSize: 3, padding: 'causal'},
      {filters: 2, kernelSize: 3, groups: 2},
      {filters: 2, kernelSize: 3, strides: 2, dilationRate: 2},
    ]) {
      expect(() => conv1d(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = conv1d({filters: 2, kernelSize: 4, name: 'c'});
    expect(() => layer.build([10], context())).toThrow("conv1d layer 'c' expects inputs of shape [batch, steps, channels]");
    expect(() => layer.build([3, 2], context())).toThrow(ShapeError);
    expect(() => layer.build([3, 2], context())).toThrow('the kernel [4] is larger than the input [3]');
    const x = tf.zeros([1, 10, 2]);
    expect(() => conv1d({filters: 1, kernelSize: 1}).call(x, callContext(false))).toThrow(StateError);
    layer.build([10, 3], context());
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const {layer, x} = built(CASES['valid 3, dilation 2']!, 3);
    await expectCallsOnValuesLeakNothing(layer, x, CASES['valid 3, dilation 2']!.input);
  });
});
