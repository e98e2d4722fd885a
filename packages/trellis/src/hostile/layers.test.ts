// Layer factories and layer stacks on hostile options: bad units, rates,
// kernel sizes and activation names, layers in the wrong place, and a layer
// re-applied in the functional API to a shape it cannot take.
import * as tf from '@tensorflow/tfjs-core';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  ConfigError,
  Sequential,
  ShapeError,
  UnknownIdError,
  conv2d,
  dense,
  dropout,
  input,
  layers,
  maxPooling2d,
  meanSquaredError,
  model as functional,
  sgd,
} from '../index';
import {expectRefused} from './expect-refused';
import {setUp} from './fixtures';

beforeAll(async () => {
  await setUp();
});

describe('layer factories refuse bad options', {timeout: 10_000}, () => {
  it.each([
    [0, '0'],
    [-1, '-1'],
    [1.5, '1.5'],
    ['a', "'a'"],
    [NaN, 'NaN'],
  ] as const)('dense({units: %s})', async (units, shown) => {
    await expectRefused(() => dense({units: units as number}), ConfigError, 'units', shown);
  });

  it('dense({}) without units', () => expectRefused(() => dense({} as never), ConfigError, 'units'));

  it.each([
    [1.5, '1.5'],
    [1, '1'],
    [-0.1, '-0.1'],
    [NaN, 'NaN'],
  ])('dropout({rate: %s})', async (rate, shown) => {
    await expectRefused(() => dropout({rate}), ConfigError, 'rate', shown);
  });

  it('conv2d({filters: 2, kernelSize: 0})', () => expectRefused(() => conv2d({filters: 2, kernelSize: 0}), ConfigError, 'kernelSize', '0'));

  it('conv2d({filters: 0, kernelSize: 3})', () => expectRefused(() => conv2d({filters: 0, kernelSize: 3}), ConfigError, 'filters', '0'));

  it('conv2d({filters: 2, kernelSize: [3, -1]})', () =>
    expectRefused(() => conv2d({filters: 2, kernelSize: [3, -1]}), ConfigError, 'kernelSize', '-1'));

  it('maxPooling2d({poolSize: 0})', () => expectRefused(() => maxPooling2d({poolSize: 0}), ConfigError, 'poolSize', '0'));

  it('embedding({inputDim: 0, outputDim: 4})', () =>
    expectRefused(() => layers.embedding({inputDim: 0, outputDim: 4}), ConfigError, 'inputDim', '0'));

  it("dense({units: 2, activation: 'relux'}): an unknown activation name", () =>
    expectRefused(() => dense({units: 2, activation: 'relux' as never}), [UnknownIdError, ConfigError], 'relux'));

  it('dense({units: 2, activation: 42})', () =>
    expectRefused(() => dense({units: 2, activation: 42 as never}), ConfigError, 'activation', '42'));

  it('dense({units: 2, inputShape: [0]})', () =>
    expectRefused(() => dense({units: 2, inputShape: [0]}), [ConfigError, ShapeError], 'inputShape'));

  it("dense({units: 2, name: 'a/b'}): a name with '/'", () => expectRefused(() => dense({units: 2, name: 'a/b'}), ConfigError, 'a/b'));

  it('dense(undefined)', () => expectRefused(() => dense(undefined as never), ConfigError, 'units'));
});

describe('Sequential refuses layer stacks that cannot work', {timeout: 10_000}, () => {
  it('[42]: something that is not a layer', () => expectRefused(() => new Sequential([42 as never]), ConfigError, '42'));

  it('the same layer twice', () => {
    const d = dense({units: 3, inputShape: [3], name: 'again'});
    return expectRefused(() => new Sequential([d, d]), ConfigError, 'again');
  });

  it('inputShape on the second layer', () =>
    expectRefused(
      () => new Sequential([dense({units: 3, inputShape: [3]}), dense({units: 2, inputShape: [3]})]),
      ConfigError,
      'inputShape',
    ));

  it("two layers named 'twin'", () =>
    expectRefused(
      () => new Sequential([dense({units: 3, inputShape: [3], name: 'twin'}), dense({units: 2, name: 'twin'})]).weights,
      ConfigError,
      'twin',
    ));

  it('dense with inputShape [] (one number per sample)', () =>
    expectRefused(() => new Sequential([dense({units: 2, inputShape: []})]).weights, [ShapeError, ConfigError], 'dense'));

  it('reshape to [5] after 3 features', () =>
    expectRefused(
      () => new Sequential([dense({units: 3, inputShape: [3]}), layers.reshape({targetShape: [5]})]).weights,
      ShapeError,
      '[5]',
    ));

  it('conv2d after a rank-1 input [8]', () =>
    expectRefused(() => new Sequential([conv2d({filters: 2, kernelSize: 3, inputShape: [8]})]).weights, ShapeError, '[8]'));

  it('a model without layers, then fit', async () => {
    const empty = new Sequential([], {name: 'empty'});
    const x = tf.ones([2, 3]);
    try {
      await expectRefused(
        async () => {
          empty.compile({optimizer: sgd(), loss: meanSquaredError()});
          await empty.fit(x, x);
        },
        ConfigError,
        'layer',
      );
    } finally {
      x.dispose();
      empty.dispose();
    }
  });
});

describe('a layer re-applied to an input shape it cannot take', {timeout: 10_000}, () => {
  it('dense applied to [3] then to [5]: model() throws a ShapeError at graph build, not later at fit', async () => {
    const d = dense({units: 4, name: 'shared'});
    const a = input({shape: [3], name: 'a'});
    const b = input({shape: [5], name: 'b'});
    const fromA = d.apply(a);
    const fromB = d.apply(b);
    const error = await expectRefused(() => functional({inputs: [a, b], outputs: [fromA, fromB]}), ShapeError, 'shared', '5');
    expect(error.message).toMatch(/\b3\b/);
  });
});
