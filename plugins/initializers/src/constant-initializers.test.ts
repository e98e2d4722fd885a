import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {constant, identityInitializer, ones} from './index';

beforeAll(() => tf.setBackend('cpu'));

const read = (t: tf.Tensor) => {
  const v = {shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync())};
  t.dispose();
  return v;
};

describe('ones', () => {
  it('makes ones of the shape and dtype', async () => {
    expect(read(ones()([2, 2], 'int32'))).toEqual({shape: [2, 2], dtype: 'int32', values: [1, 1, 1, 1]});
    expect(read(ones()([3], 'float32'))).toEqual({shape: [3], dtype: 'float32', values: [1, 1, 1]});
    expect(ones().spec).toEqual({id: 'trellis/ones', config: {}});
    await expectNoTensorLeaks(() => ones()([4], 'float32').dispose());
  });
});

describe('constant', () => {
  it('fills with value (default 0)', async () => {
    expect(read(constant({value: 0.25})([1, 3], 'float32'))).toEqual({shape: [1, 3], dtype: 'float32', values: [0.25, 0.25, 0.25]});
    expect(read(constant()([2], 'float32')).values).toEqual([0, 0]);
    expect(read(constant({value: -2.7})([2], 'int32')).values).toEqual([-2, -2]);
    expect(constant().spec).toEqual({id: 'trellis/constant', config: {value: 0}});
    await expectNoTensorLeaks(() => constant({value: 3})([4], 'float32').dispose());
  });

  it("takes Keras' positional value: constant(0.5) is constant({value: 0.5})", () => {
    expect(read(constant(0.5)([2], 'float32')).values).toEqual([0.5, 0.5]);
    expect(constant(0.5).spec).toEqual(constant({value: 0.5}).spec);
    expect(constant(undefined).spec).toEqual({id: 'trellis/constant', config: {value: 0}});
  });

  it('refuses other arguments, showing both forms', () => {
    const loosely =
      (...args: unknown[]) =>
      () =>
        (constant as (...a: unknown[]) => unknown)(...args);
    expect(loosely('0.5')).toThrow(
      /constant: value must be a finite number; got '0.5' \(string\)\. Call it as constant\(0\.5\) or constant\(\{value: 0\.5\}\)/,
    );
    expect(loosely(0.5, 1)).toThrow(
      /constant takes one number \(value\) or one options object; got 2 arguments.*constant\(0\.5\) or constant\(\{value: 0\.5\}\)/,
    );
    expect(loosely(null)).toThrow(ConfigError);
  });

  it('rejects a non-finite value', () => {
    expect(() => constant({value: Number.NaN})).toThrow(ConfigError);
    expect(() => constant({value: '1' as never})).toThrow(/constant: value must be a finite number; got '1'/);
  });
});

describe('identityInitializer', () => {
  it('makes gain · I, rectangular too', async () => {
    expect(read(identityInitializer()([2, 2], 'float32')).values).toEqual([1, 0, 0, 1]);
    expect(read(identityInitializer({gain: 3})([2, 3], 'float32'))).toEqual({shape: [2, 3], dtype: 'float32', values: [3, 0, 0, 0, 3, 0]});
    expect(read(identityInitializer({gain: 2})([3, 2], 'int32'))).toEqual({shape: [3, 2], dtype: 'int32', values: [2, 0, 0, 2, 0, 0]});
    expect(identityInitializer().spec).toEqual({id: 'trellis/identity', config: {gain: 1}});
    await expectNoTensorLeaks(() => identityInitializer({gain: 0.5})([3, 3], 'float32').dispose());
  });

  it('rejects non-2-D shapes and bad gains without leaking', async () => {
    expect(() => identityInitializer()([3, 3, 3], 'float32')).toThrow(ConfigError);
    expect(() => identityInitializer()([3], 'float32')).toThrow(
      /identityInitializer: shape must be 2-D \[rows, cols\]; got \[3\] \(rank 1\)/,
    );
    await expectNoNewTensors(() => identityInitializer()([3, 3, 3], 'float32'));
    expect(() => identityInitializer({gain: Number.NaN})).toThrow(/identityInitializer: gain must be a finite number/);
  });
});
