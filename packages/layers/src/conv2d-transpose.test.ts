import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {conv2dTranspose, layersPlugin, type Conv2dTransposeOptions} from './index';
import {closeness, uniform} from '../test/testing';
import {expectCallsOnValuesLeakNothing} from '../test/call-leaks';
import {contextsDisposedAfterEach} from '../test/build-contexts';
import {
  expectCallRefusedUntilBuilt,
  expectSameOutputAsOracle,
  outputAndGradients,
  seededKernelLayer,
  windowGeometry,
} from '../test/conv-runs';
import {convOutputShape, convReference, convReferenceGradients} from '../test/testing-conv';

const context = contextsDisposedAfterEach('conv2d_transpose');

type Case = {options: Conv2dTransposeOptions; input: [number, number, number, number]; output: [number, number]};
const CASES: Record<string, Case> = {
  'valid 3x3': {options: {filters: 3, kernelSize: 3}, input: [2, 4, 5, 2], output: [6, 7]},
  'valid 3x3, stride 2': {options: {filters: 2, kernelSize: 3, strides: 2}, input: [2, 4, 3, 3], output: [9, 7]},
  'same 3x4, stride 2': {options: {filters: 4, kernelSize: [3, 4], strides: 2, padding: 'same'}, input: [2, 4, 5, 2], output: [8, 10]},
  'valid 2x2, stride 3 (kernel below stride)': {options: {filters: 2, kernelSize: 2, strides: 3}, input: [1, 3, 4, 2], output: [9, 12]},
  'same 2x1, strides [3, 2]': {
    options: {filters: 2, kernelSize: [2, 1], strides: [3, 2], padding: 'same'},
    input: [1, 3, 4, 2],
    output: [9, 8],
  },
  'valid 3x3, dilation 2': {options: {filters: 3, kernelSize: 3, dilationRate: 2, useBias: false}, input: [2, 4, 4, 2], output: [8, 8]},
};

function built({options, input}: Case, seed: number) {
  return seededKernelLayer(conv2dTranspose(options), input, options.filters, seed, context());
}

describe('conv2dTranspose', () => {
  Object.entries(CASES).forEach(([name, testCase], i) => {
    it(`is the adjoint of a float64 convolution, forward and backward (${name})`, () => {
      const {options, input, output} = testCase;
      const {layer, outputShape, kernel, bias, x} = built(testCase, 60 * i);
      expect(outputShape).toEqual([...output, options.filters]);
      // The convolution this layer transposes maps [b, ...output, filters] to the input's shape.
      const geometry = windowGeometry([input[0], output[0], output[1], options.filters], layer.kernel!.shape, layer);
      expect(convOutputShape(geometry)).toEqual(input);
      const n = input[0] * output[0] * output[1] * options.filters;
      const g = uniform(randomGenerator(60 * i + 3), n, -1, 1);
      const {y, dx, grads, dispose} = outputAndGradients(layer, x, input, g, [input[0], ...output, options.filters], [layer.kernel!]);
      const useBias = options.useBias ?? true;
      const forward = convReferenceGradients(geometry, new Array(n).fill(0), kernel, x).dx;
      const yRef = forward.map((v, j) => v + (useBias ? bias[j % options.filters]! : 0));
      expect(closeness(y.dataSync(), yRef, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(closeness(dx.dataSync(), convReference(geometry, g, kernel), 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      const dk = convReferenceGradients(geometry, g, kernel, x).dkernel;
      expect(closeness(grads[layer.kernel!.name]!.dataSync(), dk, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      dispose();
    });
  });

  it("matches tfjs-layers' conv2dTranspose with the same weights", () => {
    const testCase = CASES['same 3x4, stride 2']!;
    const {layer, kernel, bias, x} = built(testCase, 4);
    const oracle = tfl.layers.conv2dTranspose({
      filters: 4,
      kernelSize: [3, 4],
      strides: 2,
      padding: 'same',
      weights: [tf.tensor(kernel, [3, 4, 4, 2]), tf.tensor1d(bias)],
    });
    expectSameOutputAsOracle(layer, oracle, x, testCase.input);
  });

  it("creates kernel [kh, kw, filters, in] (Keras' layout) and bias; its spec round-trips", () => {
    const layer = conv2dTranspose({filters: 6, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu', name: 'up'});
    const c = context();
    expect(layer.build([5, 4, 3], c)).toEqual([10, 8, 6]);
    expect(c.requests.map((r) => [r.name, r.shape, r.initializer.spec.id])).toEqual([
      ['kernel', [3, 2, 6, 3], 'trellis/glorotUniform'],
      ['bias', [6], 'trellis/zeros'],
    ]);
    expect(layer.spec.id).toBe('trellis/conv2dTranspose');
    expect(layer.spec.config).toMatchObject({name: 'up', filters: 6, kernelSize: [3, 2], strides: [2, 2], padding: 'same'});
    expect(JSON.parse(JSON.stringify(layer.spec))).toEqual(layer.spec);
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options and shapes', () => {
    for (const options of [
      {kernelSize: 3},
      {filters: 2, kernelSize: -1},
      {filters: 2, kernelSize: 3, strides: 2, dilationRate: 2},
      {filters: 2, kernelSize: 3, dataFormat: 'channelsFirst'},
      {filters: 2, kernelSize: 3, padding: 'full'},
    ]) {
      expect(() => conv2dTranspose(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = conv2dTranspose({filters: 2, kernelSize: 3, name: 't'});
    expect(() => layer.build([4, 4], context())).toThrow(
      "conv2dTranspose layer 't' expects inputs of shape [batch, height, width, channels]",
    );
    expectCallRefusedUntilBuilt(layer, context());
  });

  it('leaks no tensors', async () => {
    const {layer, x} = built(CASES['valid 3x3, dilation 2']!, 3);
    await expectCallsOnValuesLeakNothing(layer, x, CASES['valid 3x3, dilation 2']!.input, true);
  });
});
