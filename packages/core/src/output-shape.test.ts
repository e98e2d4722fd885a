import * as tf from '@tensorflow/tfjs-core';
import {expect, it} from 'vitest';
import {ConfigError, outputShapeOf, type Layer, type MultiInputLayer} from './index';

const sum: MultiInputLayer<{name: string}> = {
  name: 'sum',
  multiInput: true,
  spec: {id: 'acme/sum', config: {name: 'sum'}},
  build: (shapes) => shapes[0]!,
  computeOutputShape: (shapes) => shapes[0]!,
  call: (inputs) => tf.addN([...inputs]),
};

const twice: Layer<{name: string}> = {
  name: 'twice',
  spec: {id: 'acme/twice', config: {name: 'twice'}},
  build: (shape) => [...shape, 2],
  computeOutputShape: (shape) => [...shape, 2],
  call: (x) => tf.stack([x, x], -1),
};

it('outputShapeOf asks the layer, for one input shape or one per input', () => {
  expect(outputShapeOf(twice, [3])).toEqual([3, 2]);
  expect(outputShapeOf(sum, [[4], [4]])).toEqual([4]);
});

it('outputShapeOf throws a ConfigError asking for computeOutputShape, without building the layer', () => {
  let builds = 0;
  const legacy: Layer<{name: string}> = {
    name: 'legacy',
    spec: {id: 'acme/legacy', config: {name: 'legacy'}},
    build: (shape) => (builds++, shape),
    call: (x) => tf.clone(x),
  };
  const {computeOutputShape: _, ...legacySum} = sum;
  expect(() => outputShapeOf(legacy, [3])).toThrow(ConfigError);
  expect(() => outputShapeOf(legacy, [3])).toThrow(
    /layer 'legacy' \(acme\/legacy\) has no computeOutputShape method.*computeOutputShape\(inputShape: Shape\): Shape/,
  );
  expect(() => outputShapeOf(legacySum, [[4], [4]])).toThrow(/computeOutputShape\(inputShapes: readonly Shape\[\]\): Shape/);
  expect(builds).toBe(0);
});
