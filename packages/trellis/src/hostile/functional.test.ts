// Functional graphs on hostile wiring: disconnected outputs, duplicate names,
// non-symbolic arguments, unused inputs, merge layers given shapes they cannot
// combine, and multi-input data of the wrong form.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {
  ConfigError,
  DataError,
  ShapeError,
  StateError,
  adam,
  dense,
  input,
  layers,
  meanSquaredError,
  model as functional,
  type FunctionalModel,
} from '../index';
import {expectRefused} from './expect-refused';
import {setUp} from './fixtures';

let net: FunctionalModel<tf.Tensor>;
let xa: tf.Tensor;
let xb: tf.Tensor;
let y: tf.Tensor;

beforeAll(async () => {
  await setUp();
  const a = input({shape: [3], name: 'left'});
  const b = input({shape: [2], name: 'right'});
  const out = dense({units: 1}).apply(layers.concatenate().apply([a, b]));
  net = functional({inputs: [a, b], outputs: out, name: 'pair'});
  net.compile({optimizer: adam(), loss: meanSquaredError()});
  xa = tf.ones([6, 3]);
  xb = tf.ones([6, 2]);
  y = tf.zeros([6, 1]);
});
afterAll(() => {
  tf.dispose([xa, xb, y]);
  net.dispose();
});

describe('model({inputs, outputs}) refuses bad graphs', {timeout: 10_000}, () => {
  it("an output that needs an input not listed (disconnected graph, input 'hidden')", () => {
    const a = input({shape: [3], name: 'shown'});
    const hidden = input({shape: [3], name: 'hidden'});
    const out = dense({units: 1}).apply(layers.add().apply([a, hidden]));
    return expectRefused(() => functional({inputs: a, outputs: out}), ConfigError, 'disconnected', 'hidden');
  });

  it('an output that is not connected to any input at all', () => {
    const a = input({shape: [3], name: 'only'});
    const stray = input({shape: [3], name: 'stray'});
    const out = dense({units: 1}).apply(stray);
    return expectRefused(() => functional({inputs: a, outputs: out}), ConfigError, 'stray');
  });

  it("two inputs named 'dup'", () => {
    const a = input({shape: [3], name: 'dup'});
    const b = input({shape: [3], name: 'dup'});
    const out = dense({units: 1}).apply(layers.add().apply([a, b]));
    return expectRefused(() => functional({inputs: [a, b], outputs: out}), ConfigError, 'dup');
  });

  it("two layers named 'same'", () => {
    const a = input({shape: [3]});
    const out = dense({units: 1, name: 'same'}).apply(dense({units: 2, name: 'same'}).apply(a));
    return expectRefused(() => functional({inputs: a, outputs: out}), ConfigError, 'same');
  });

  it('the same input listed twice', () => {
    const a = input({shape: [3], name: 'twice'});
    const out = dense({units: 1}).apply(a);
    return expectRefused(() => functional({inputs: [a, a], outputs: out}), ConfigError, 'twice');
  });

  it("an input 'unused' that reaches no output", () => {
    const a = input({shape: [3], name: 'used'});
    const unused = input({shape: [3], name: 'unused'});
    return expectRefused(() => functional({inputs: [a, unused], outputs: dense({units: 1}).apply(a)}), ConfigError, 'unused');
  });

  it('inputs []', () => {
    const a = input({shape: [3]});
    return expectRefused(() => functional({inputs: [], outputs: dense({units: 1}).apply(a)}), ConfigError, 'inputs');
  });

  it('outputs a real tensor', async () => {
    const a = input({shape: [3]});
    const real = tf.ones([2, 1]);
    try {
      await expectRefused(() => functional({inputs: a, outputs: real as never}), ConfigError, 'outputs');
    } finally {
      real.dispose();
    }
  });

  it('model(undefined)', () => expectRefused(() => functional(undefined as never), ConfigError, 'inputs'));
});

describe('layer.apply refuses bad arguments', {timeout: 10_000}, () => {
  it('dense.apply(a real tensor) of a layer not built (a real tensor runs the layer eagerly)', async () => {
    const real = tf.ones([2, 3]);
    try {
      await expectRefused(() => dense({units: 2}).apply(real), StateError, 'before it was built');
    } finally {
      real.dispose();
    }
  });

  it('dense.apply(null)', () => expectRefused(() => dense({units: 2}).apply(null as never), ConfigError, 'null'));

  it('dense.apply([a, b]) (two inputs to a one-input layer)', () =>
    expectRefused(() => dense({units: 2}).apply([input({shape: [3]}), input({shape: [3]})] as never), ConfigError, '2'));

  it('add().apply(a) (one tensor to a merge layer)', () =>
    expectRefused(() => layers.add().apply(input({shape: [3]}) as never), ConfigError, 'array'));

  it('add() of shapes [3] and [4]', () =>
    expectRefused(() => layers.add().apply([input({shape: [3]}), input({shape: [4]})]), ShapeError, '3', '4'));

  it('concatenate() of shapes [3] and [4, 2]', () =>
    expectRefused(() => layers.concatenate().apply([input({shape: [3]}), input({shape: [4, 2]})]), ShapeError, '[4, 2]'));

  it('input({shape: [0]})', () => expectRefused(() => input({shape: [0]}), ConfigError, 'shape'));

  it('input({shape: 3}) (a number, not an array)', () => expectRefused(() => input({shape: 3 as never}), ConfigError, 'shape', '3'));

  it("input({shape: [3], dtype: 'string'})", () =>
    expectRefused(() => input({shape: [3], dtype: 'string' as never}), ConfigError, 'string'));
});

describe('a two-input model refuses data of the wrong form', {timeout: 10_000}, () => {
  it('fit with one x tensor for two inputs', () => expectRefused(() => net.fit(xa, y), ConfigError, 'left', 'right'));

  it('fit with three x tensors for two inputs', () => expectRefused(() => net.fit([xa, xb, xb], y), ConfigError, '3'));

  it("fit with a record missing the input 'right'", () => expectRefused(() => net.fit({left: xa}, y), ConfigError, 'right'));

  it("fit with a record naming an unknown input 'center'", () =>
    expectRefused(() => net.fit({left: xa, right: xb, center: xb}, y), ConfigError, 'center'));

  it('fit with inputs of 6 and 5 samples', async () => {
    const short = tf.ones([5, 2]);
    try {
      await expectRefused(() => net.fit([xa, short], y), DataError, '6', '5');
    } finally {
      short.dispose();
    }
  });

  it("fit with the 'right' input of the wrong width [6, 3]", () =>
    expectRefused(() => net.fit([xa, xa], y), ShapeError, 'right', '[6, 3]'));

  it('predict with the inputs swapped', () => expectRefused(() => net.predict([xb, xa]), ShapeError, 'left'));
});
