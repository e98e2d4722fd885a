// evaluate, predict and the on-batch methods on hostile data: each refuses
// before computing, with a typed error naming the bad value, and leaks nothing.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ConfigError, DTypeError, DataError, Sequential, ShapeError, TrellisError, dense} from '../index';
import {expectRefused} from './expect-refused';
import {badSampleWeights, classifier, disposeAll, given, setUpSuite, stringTensor} from './fixtures';

let model: Sequential;
let x: tf.Tensor2D;
let labels: tf.Tensor1D;

beforeAll(async () => ({x, labels, model} = await setUpSuite(() => ({model: classifier('ev')}))));
afterAll(() => disposeAll(x, labels, model));

describe('evaluate refuses', {timeout: 10_000}, () => {
  it('x with 4 features [20, 4] for inputShape [3]', () =>
    given(() => tf.ones([20, 4])).refuses((x4) => model.evaluate(x4, labels), ShapeError, '[20, 4]'));

  it('y with 19 samples for x with 20', () =>
    given(() => tf.slice(labels, 0, 19)).refuses((y) => model.evaluate(x, y), ShapeError, '20', '19'));

  it('x holding NaN', () =>
    given(() =>
      tf.tensor2d([
        [0, NaN, 1],
        [1, 2, 3],
      ]),
    ).refuses((bad) => model.evaluate(bad, [0, 1]), DataError, 'NaN'));

  it('sparse label 10 for 10 classes', () =>
    given(() => tf.tensor1d([...Array(19).fill(1), 10], 'int32')).refuses((y) => model.evaluate(x, y), DataError, '10'));

  it('sparse label -3', () =>
    given(() => tf.tensor1d([-3, ...Array(19).fill(1)], 'int32')).refuses((y) => model.evaluate(x, y), DataError, '-3'));

  it('y a string tensor', () => given(() => stringTensor([20], 'dog')).refuses((y) => model.evaluate(x, y), DTypeError, 'string'));

  it('x a string tensor', () => given(() => stringTensor([20, 3], 'a')).refuses((s) => model.evaluate(s, labels), DTypeError, 'string'));

  it.each(badSampleWeights)('sampleWeight $name', ({make, error, parts}) =>
    given(make).refuses((w) => model.evaluate(x, labels, {sampleWeight: w}), error, ...parts),
  );

  it('empty data (0 samples)', () =>
    given(() => [tf.zeros([0, 3]), tf.zeros([0], 'int32')] as [tf.Tensor, tf.Tensor]).refuses(
      ([x0, y0]) => model.evaluate(x0, y0),
      DataError,
      '0 samples',
    ));

  it('a disposed x tensor', async () => {
    const gone = tf.ones([20, 3]);
    gone.dispose();
    await expectRefused(() => model.evaluate(gone, labels), TrellisError, 'disposed');
  });

  it('a model that is not compiled', async () => {
    const raw = new Sequential([dense({units: 2, inputShape: [3]})], {name: 'raw'});
    raw.weights; // built before measuring
    try {
      await expectRefused(() => raw.evaluate(x, labels), ConfigError, 'raw', 'compile');
    } finally {
      raw.dispose();
    }
  });
});

describe('predict refuses', {timeout: 10_000}, () => {
  it('x of rank 3 [20, 3, 1]', () => given(() => tf.reshape(x, [20, 3, 1])).refuses((x3) => model.predict(x3), ShapeError, '[20, 3, 1]'));

  it('x rank 1 [3] for inputShape [3] (the message must not suggest inputShape [])', async () => {
    const x1 = tf.tensor1d([1, 2, 3]);
    try {
      const error = await expectRefused(() => model.predict(x1), ShapeError, '[3]');
      expect(error.message).not.toContain('inputShape []');
    } finally {
      x1.dispose();
    }
  });

  it('x a string tensor', () => given(() => stringTensor([2, 3], 'a')).refuses((s) => model.predict(s), DTypeError, 'string'));

  it('x a disposed tensor', async () => {
    const gone = tf.ones([2, 3]);
    gone.dispose();
    await expectRefused(() => model.predict(gone), TrellisError, 'disposed');
  });

  it('x a ragged nested array', () => expectRefused(() => model.predict([[1, 2, 3], [4]]), ShapeError, 'ragged'));

  it('x a nested array of the wrong width [[1, 2]]', () => expectRefused(() => model.predict([[1, 2]]), ShapeError, '[1, 2]'));

  it('x null', () => expectRefused(() => model.predict(null as never), DTypeError, 'null'));

  it('batchSize -1', () => expectRefused(() => model.predict(x, {batchSize: -1}), ConfigError, 'batchSize', '-1'));
});

describe('the on-batch methods refuse', {timeout: 10_000}, () => {
  it('trainOnBatch with sparse label 10 for 10 classes', () =>
    given(() => tf.tensor1d([...Array(19).fill(0), 10], 'int32')).refuses((y) => model.trainOnBatch(x, y), DataError, '10'));

  it('trainOnBatch with x holding Infinity', () =>
    given(() => tf.tensor2d([[0, Infinity, 1]])).refuses((bad) => model.trainOnBatch(bad, [1]), DataError, 'Infinity'));

  it('testOnBatch with x of the wrong width [20, 5]', () =>
    given(() => tf.ones([20, 5])).refuses((x5) => model.testOnBatch(x5, labels), ShapeError, '[20, 5]'));

  it('predictOnBatch with a string tensor', () =>
    given(() => tf.tensor(['a', 'b', 'c'], [1, 3], 'string')).refuses((s) => model.predictOnBatch(s), DTypeError, 'string'));
});
