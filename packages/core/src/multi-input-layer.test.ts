import * as tf from '@tensorflow/tfjs-core';
import {expect, it} from 'vitest';
import {isMultiInputLayer, type Layer, type MultiInputLayer} from './index';

const sum: MultiInputLayer<{name: string}> = {
  name: 'sum',
  multiInput: true,
  spec: {id: 'acme/sum', config: {name: 'sum'}},
  build: (shapes) => shapes[0]!,
  call: (inputs) => tf.addN([...inputs]),
};

const identity: Layer<{name: string}> = {
  name: 'identity',
  spec: {id: 'acme/identity', config: {name: 'identity'}},
  build: (shape) => shape,
  call: (x) => tf.clone(x),
};

it('isMultiInputLayer tells layers on a list of inputs from one-input layers by their marker', () => {
  expect(isMultiInputLayer(sum)).toBe(true);
  expect(isMultiInputLayer(identity)).toBe(false);
  // The marker must be exactly `true`.
  for (const value of [null, undefined, 0, 'sum', {multiInput: 1}, {multiInput: 'true'}]) {
    expect(isMultiInputLayer(value), String(value)).toBe(false);
  }
  const layers: (Layer | MultiInputLayer)[] = [identity, sum];
  expect(layers.filter(isMultiInputLayer).map((l) => l.name)).toEqual(['sum']);
});
