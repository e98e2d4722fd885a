// fit on hostile data: wrong ranks and shapes, mismatched lengths, NaN and
// Infinity, empty data, labels out of range, string tensors, bad sample and
// class weights, bad validation data, disposed tensors, ragged arrays.
// Each is refused before training with a typed error naming the bad value, and leaks nothing.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ConfigError, DTypeError, DataError, ShapeError, TrellisError, type Sequential} from '../index';
import {expectRefused} from './expect-refused';
import {badSampleWeights, classifier, disposeAll, given, regressor, setUpSuite, stringTensor, withTensors} from './fixtures';

let model: Sequential;
let reg: Sequential;
let x: tf.Tensor2D;
let labels: tf.Tensor1D;
let targets: tf.Tensor2D;

beforeAll(async () => ({x, labels, targets, model, reg} = await setUpSuite(() => ({model: classifier('clf'), reg: regressor('reg')}))));
afterAll(() => disposeAll(x, labels, targets, model, reg));

/** A copy of `t` with `value` at flat index `at`. */
function withValueAt(t: tf.Tensor, at: number, value: number): tf.Tensor {
  const values = Array.from(t.dataSync());
  values[at] = value;
  return tf.tensor(values, t.shape, t.dtype);
}

describe('fit refuses bad x', {timeout: 10_000}, () => {
  it('x of rank 3 [20, 3, 1] for inputShape [3]', () =>
    given(() => tf.reshape(x, [20, 3, 1])).refuses((x3) => model.fit(x3, labels), ShapeError, '[20, 3, 1]'));

  it('x with 4 features [20, 4] for inputShape [3]', () =>
    given(() => tf.ones([20, 4])).refuses((x4) => model.fit(x4, labels), ShapeError, '[20, 4]'));

  it('x a scalar', () => given(() => tf.scalar(1)).refuses((s) => model.fit(s, labels), ShapeError, 'scalar'));

  it('x rank 1 [3] for inputShape [3] (the message must not suggest inputShape [])', () =>
    withTensors(
      () => tf.tensor1d([1, 2, 3]),
      async (x1) => {
        const error = await expectRefused(() => model.fit(x1, [0, 1, 2]), ShapeError, '[3]');
        expect(error.message).not.toContain('inputShape []');
      },
    ));

  it('x holding NaN (sample 5)', () =>
    given(() => withValueAt(x, 16, NaN)).refuses((bad) => model.fit(bad, labels), DataError, 'NaN', 'sample 5'));

  it('x holding Infinity (sample 19)', () =>
    given(() => withValueAt(x, 59, Infinity)).refuses((bad) => model.fit(bad, labels), DataError, 'Infinity', 'sample 19'));

  it('x with 0 samples (empty data)', () =>
    given(() => [tf.zeros([0, 3]), tf.zeros([0], 'int32')] as [tf.Tensor, tf.Tensor]).refuses(
      ([x0, y0]) => model.fit(x0, y0),
      DataError,
      '0 samples',
    ));

  it('x a string tensor', () => given(() => stringTensor([20, 3], 'a')).refuses((s) => model.fit(s, labels), DTypeError, 'string'));

  it('x a disposed tensor', async () => {
    const gone = tf.ones([20, 3]);
    gone.dispose();
    await expectRefused(() => model.fit(gone, labels), TrellisError, 'disposed');
  });

  it('x a ragged nested array [[1, 2, 3], [1, 2]]', () =>
    expectRefused(
      () =>
        model.fit(
          [
            [1, 2, 3],
            [1, 2],
          ],
          [0, 1],
        ),
      ShapeError,
      'ragged',
    ));

  it('x a nested array of the wrong width [[1, 2], [3, 4]]', () =>
    expectRefused(
      () =>
        model.fit(
          [
            [1, 2],
            [3, 4],
          ],
          [0, 1],
        ),
      ShapeError,
      '[2, 2]',
    ));

  it('x undefined', () => expectRefused(() => model.fit(undefined as never, labels), DTypeError, 'undefined'));

  it("x a string 'abc'", () => expectRefused(() => model.fit('abc' as never, labels), DTypeError, "'abc'"));
});

describe('fit refuses bad y', {timeout: 10_000}, () => {
  it('y with 19 samples for x with 20', () =>
    given(() => tf.slice(labels, 0, 19)).refuses((y19) => model.fit(x, y19), ShapeError, '20', '19'));

  it('y a scalar', () => given(() => tf.scalar(1, 'int32')).refuses((s) => model.fit(x, s), ShapeError, 'scalar'));

  it('sparse label 10 for 10 classes', () =>
    given(() => tf.tensor1d([...Array(19).fill(0), 10], 'int32')).refuses((y) => model.fit(x, y), DataError, '10'));

  it('sparse label -1', () =>
    given(() => tf.tensor1d([-1, ...Array(19).fill(0)], 'int32')).refuses((y) => model.fit(x, y), DataError, '-1'));

  it('sparse labels given one-hot [20, 10] (a shape sparse crossentropy cannot take)', () =>
    given(() => tf.oneHot(labels, 10)).refuses((y) => model.fit(x, y), [ShapeError, DataError], '[20, 10]'));

  it('y holding NaN (regression)', () =>
    given(() => withValueAt(targets, 4, NaN)).refuses((y) => reg.fit(x, y), DataError, 'NaN', 'sample 4'));

  it('y holding -Infinity (regression)', () =>
    given(() => withValueAt(targets, 7, -Infinity)).refuses((y) => reg.fit(x, y), DataError, 'Infinity', 'sample 7'));

  it('y a string tensor', () => given(() => stringTensor([20], 'cat')).refuses((y) => model.fit(x, y), DTypeError, 'string'));

  it('y with the wrong width [20, 2] for a [batch, 1] regression output', () =>
    given(() => tf.zeros([20, 2])).refuses((y) => reg.fit(x, y), ShapeError, '[20, 2]'));
});

describe('fit refuses bad sample and class weights', {timeout: 10_000}, () => {
  it.each(badSampleWeights)('sampleWeight $name', ({make, error, parts}) =>
    given(make).refuses((w) => model.fit(x, labels, {sampleWeight: w}), error, ...parts),
  );

  it('classWeight naming class 12 of a 10-class model', () =>
    expectRefused(() => model.fit(x, labels, {classWeight: {0: 1, 12: 2}}), ConfigError, '12'));

  it('classWeight with a negative weight for class 3', () =>
    expectRefused(() => model.fit(x, labels, {classWeight: {3: -2}}), ConfigError, '-2'));

  it('classWeight with a regression loss (targets are not class ids)', () =>
    expectRefused(() => reg.fit(x, targets, {classWeight: {0: 2}}), ConfigError, 'classWeight'));
});

describe('fit refuses bad validation data', {timeout: 10_000}, () => {
  it('validationData [x] (one item)', () =>
    expectRefused(() => model.fit(x, labels, {validationData: [x] as never}), ConfigError, 'validationData'));

  it('validationData [x, y, w, extra] (four items)', () =>
    given(() => tf.ones([20])).refuses(
      (w) => model.fit(x, labels, {validationData: [x, labels, w, w] as never}),
      ConfigError,
      'validationData',
    ));

  it.each([
    ['validationData x of the wrong width [5, 4]', [5, 4], 5, ['[5, 4]']],
    ['validationData y with 4 samples for x with 5', [5, 3], 4, ['4', '5']],
  ] as const)('%s', (_, xShape, ySamples, named) =>
    given(() => [tf.ones([...xShape]), tf.zeros([ySamples], 'int32')] as [tf.Tensor, tf.Tensor]).refuses(
      ([xv, yv]) => model.fit(x, labels, {validationData: [xv, yv]}),
      ShapeError,
      'validation',
      ...named,
    ),
  );

  it('validationData labels out of range (10 for 10 classes): the message says it is in the validation data', () =>
    given(() => [tf.ones([5, 3]), tf.tensor1d([0, 1, 10, 2, 3], 'int32')] as [tf.Tensor, tf.Tensor]).refuses(
      ([xv, yv]) => model.fit(x, labels, {validationData: [xv, yv]}),
      DataError,
      'validation',
      '10',
    ));

  it('validationData x holding NaN', () =>
    given(
      () =>
        [
          tf.tensor2d([
            [1, 2, 3],
            [NaN, 0, 0],
          ]),
          tf.tensor1d([0, 1], 'int32'),
        ] as [tf.Tensor, tf.Tensor],
    ).refuses(([xv, yv]) => model.fit(x, labels, {validationData: [xv, yv]}), DataError, 'validation', 'NaN'));

  it('validationData sampleWeight with a negative weight', () =>
    given(() => [tf.ones([2, 3]), tf.tensor1d([0, 1], 'int32'), tf.tensor1d([1, -3])] as [tf.Tensor, tf.Tensor, tf.Tensor]).refuses(
      ([xv, yv, wv]) => model.fit(x, labels, {validationData: [xv, yv, wv]}),
      DataError,
      'validation',
      '-3',
    ));

  it('validationData together with validationSplit', () =>
    expectRefused(() => model.fit(x, labels, {validationData: [x, labels], validationSplit: 0.2}), ConfigError, 'validationSplit'));
});
