// Bad option values and unknown option keys. A value out of range is a
// ConfigError naming the option and the value; an unknown key (a typo, or a
// Keras snake_case spelling) is a ConfigError naming the key and, when one is
// close, suggesting the valid one ("did you mean 'batchSize'?").
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
  ConfigError,
  Sequential,
  accuracy,
  adam,
  conv2d,
  dense,
  dropout,
  initializers,
  input,
  regularizers,
  sgd,
  sparseCategoricalCrossentropy,
} from '../index';
import {expectRefused} from './expect-refused';
import {classifier, disposeAll, setUpSuite} from './fixtures';

let model: Sequential;
let x: tf.Tensor2D;
let labels: tf.Tensor1D;

beforeAll(async () => ({x, labels, model} = await setUpSuite(() => ({model: classifier('opts')}))));
afterAll(() => disposeAll(x, labels, model));

describe('fit refuses bad option values', {timeout: 10_000}, () => {
  it.each([
    ['batchSize', 0, '0'],
    ['batchSize', -1, '-1'],
    ['batchSize', 1.5, '1.5'],
    ['batchSize', NaN, 'NaN'],
    ['batchSize', '32', "'32'"],
    ['epochs', -1, '-1'],
    ['epochs', 1.5, '1.5'],
    ['epochs', Infinity, 'Infinity'],
    ['validationSplit', 1, '1'],
    ['validationSplit', -0.1, '-0.1'],
    ['validationSplit', NaN, 'NaN'],
    ['validationFreq', 0, '0'],
    ['validationBatchSize', -4, '-4'],
    ['stepsPerEpoch', 0, '0'],
    ['initialEpoch', -2, '-2'],
    ['shuffle', 'bogus', 'bogus'],
    ['shuffle', 1, '1'],
    ['verbose', 7, '7'],
    ['yieldEvery', 'sometimes', 'sometimes'],
  ] as const)('fit({%s: %s})', async (option, value, shown) => {
    await expectRefused(() => model.fit(x, labels, {[option]: value}), ConfigError, option, shown);
  });

  it('fit({initialEpoch: 5, epochs: 2}): initialEpoch beyond epochs', () =>
    expectRefused(() => model.fit(x, labels, {initialEpoch: 5, epochs: 2}), ConfigError, 'initialEpoch', '5', '2'));

  it('fit({callbacks: {...}}): callbacks not an array', () =>
    expectRefused(() => model.fit(x, labels, {callbacks: {name: 'one', onEpochEnd() {}} as never}), ConfigError, 'callbacks'));

  it('fit({callbacks: [42]}): a callback that is not an object', () =>
    expectRefused(() => model.fit(x, labels, {callbacks: [42] as never}), ConfigError, 'callback', '42'));

  it('fit({callbacks: [{name: "x", onEpochEnd: "soon"}]}): a hook that is not a function', () =>
    expectRefused(() => model.fit(x, labels, {callbacks: [{name: 'x', onEpochEnd: 'soon'}] as never}), ConfigError, 'onEpochEnd', 'soon'));

  it('fit(x, y, 5): options not an object', () => expectRefused(() => model.fit(x, labels, 5 as never), ConfigError, '5'));

  it('evaluate({batchSize: 0})', () => expectRefused(() => model.evaluate(x, labels, {batchSize: 0}), ConfigError, 'batchSize', '0'));

  it('predict({batchSize: 2.5})', () => expectRefused(() => model.predict(x, {batchSize: 2.5}), ConfigError, 'batchSize', '2.5'));
});

describe('unknown option keys are refused with a suggestion', {timeout: 10_000}, () => {
  it.each([
    [{batch_size: 500}, 'batch_size', 'batchSize'],
    [{validation_split: 0.1}, 'validation_split', 'validationSplit'],
    [{epoch: 5}, 'epoch', 'epochs'],
    [{shufle: false}, 'shufle', 'shuffle'],
    [{class_weight: {0: 1}}, 'class_weight', 'classWeight'],
    [{initial_epoch: 1}, 'initial_epoch', 'initialEpoch'],
  ])('fit(x, y, %o)', async (options, key, suggestion) => {
    await expectRefused(() => model.fit(x, labels, options as never), ConfigError, key, 'did you mean', suggestion);
  });

  it('evaluate(x, y, {batch_size: 4})', () =>
    expectRefused(() => model.evaluate(x, labels, {batch_size: 4} as never), ConfigError, 'batch_size', 'did you mean', 'batchSize'));

  it('evaluate(x, y, {sample_weight: w})', () =>
    expectRefused(
      () => model.evaluate(x, labels, {sample_weight: [1]} as never),
      ConfigError,
      'sample_weight',
      'did you mean',
      'sampleWeight',
    ));

  it('predict(x, {batchsize: 4})', () =>
    expectRefused(() => model.predict(x, {batchsize: 4} as never), ConfigError, 'batchsize', 'did you mean', 'batchSize'));

  it.each<[string, string, () => object, string, string]>([
    [
      'compile({optimiser: ...})',
      'typo_compile',
      () => ({optimiser: adam(), loss: sparseCategoricalCrossentropy()}),
      'optimiser',
      'optimizer',
    ],
    [
      'compile({..., loss_weights: 1})',
      'typo_compile_2',
      () => ({optimizer: adam(), loss: sparseCategoricalCrossentropy(), loss_weights: 1}),
      'loss_weights',
      'lossWeights',
    ],
    [
      'compile({..., metric: [accuracy()]})',
      'typo_compile_3',
      () => ({optimizer: adam(), loss: sparseCategoricalCrossentropy(), metric: [accuracy()]}),
      "'metric'",
      'metrics',
    ],
  ])('%s', async (_, name, options, typo, suggested) => {
    const m = classifier(name);
    await expectRefused(() => m.compile(options() as never), ConfigError, typo, 'did you mean', suggested).finally(() => m.dispose());
  });

  it("dense({units: 2, activaton: 'relu'})", () =>
    expectRefused(() => dense({units: 2, activaton: 'relu'} as never), ConfigError, 'activaton', 'did you mean', 'activation'));

  it('dense({units: 2, input_shape: [3]})', () =>
    expectRefused(() => dense({units: 2, input_shape: [3]} as never), ConfigError, 'input_shape', 'did you mean', 'inputShape'));

  it('dropout({rate: 0.1, foo: 1})', () => expectRefused(() => dropout({rate: 0.1, foo: 1} as never), ConfigError, 'foo'));

  it('conv2d({filters: 2, kernel_size: 3})', () =>
    expectRefused(() => conv2d({filters: 2, kernel_size: 3} as never), ConfigError, 'kernel_size', 'did you mean', 'kernelSize'));

  it('adam({learning_rate: 0.1})', () =>
    expectRefused(() => adam({learning_rate: 0.1} as never), ConfigError, 'learning_rate', 'did you mean', 'learningRate'));

  it('sgd({momentun: 0.9})', () => expectRefused(() => sgd({momentun: 0.9} as never), ConfigError, 'momentun', 'did you mean', 'momentum'));

  it('glorotUniform({sed: 1})', () =>
    expectRefused(() => initializers.glorotUniform({sed: 1} as never), ConfigError, 'sed', 'did you mean', 'seed'));

  it('l2({l3: 1})', () => expectRefused(() => regularizers.l2({l3: 1} as never), ConfigError, 'l3', 'did you mean', 'l2'));

  it('l1l2({l1: 0.1, l3: 0.1})', () =>
    expectRefused(() => regularizers.l1l2({l1: 0.1, l3: 0.1} as never), ConfigError, 'l3', 'did you mean'));

  it("input({shape: [3], dtyp: 'int32'})", () =>
    expectRefused(() => input({shape: [3], dtyp: 'int32'} as never), ConfigError, 'dtyp', 'did you mean', 'dtype'));

  it("new Sequential([...], {nme: 'x'})", () =>
    expectRefused(
      () => new Sequential([dense({units: 1, inputShape: [3]})], {nme: 'x'} as never),
      ConfigError,
      'nme',
      'did you mean',
      'name',
    ));
});

describe('l1l2 with positional numbers', {timeout: 10_000}, () => {
  it('l1l2(1e-5, 1e-4) is not silently zero: it is the penalty of l1l2({l1: 1e-5, l2: 1e-4}), or a ConfigError', () => {
    const w = tf.tensor2d([
      [0.5, -2, 3],
      [-1, 4, 0.25],
    ]);
    try {
      let positional: ReturnType<typeof regularizers.l1l2>;
      try {
        positional = (regularizers.l1l2 as unknown as (a: number, b: number) => ReturnType<typeof regularizers.l1l2>)(1e-5, 1e-4);
      } catch (error) {
        expect(ConfigError.is(error), `expected a ConfigError, got ${String(error)}`).toBe(true);
        return;
      }
      const got = tf.tidy(() => positional(w).dataSync()[0]!);
      const want = tf.tidy(() => regularizers.l1l2({l1: 1e-5, l2: 1e-4})(w).dataSync()[0]!);
      expect(want).toBeGreaterThan(0);
      expect(got).toBeCloseTo(want, 10);
    } finally {
      w.dispose();
    }
  });
});
