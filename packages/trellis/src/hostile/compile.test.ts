// compile on hostile input: unknown ids, values that are not losses, metrics
// or optimizers, broken plugins, a metric that does not fit the loss,
// lossWeights of the wrong length, and compiling while a fit runs.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
  ConfigError,
  Sequential,
  ShapeError,
  StateError,
  UnknownIdError,
  accuracy,
  adam,
  dense,
  input,
  meanSquaredError,
  metrics,
  model as functional,
  sparseCategoricalCrossentropy,
  type CompileOptions,
  type Registry,
} from '../index';
import {createRegistry} from '@trellis/core';
import {expectRefused} from './expect-refused';
import {classifier, disposeAll, setUpSuite, weightValues} from './fixtures';

let registry: Registry;
let x: tf.Tensor2D;
let labels: tf.Tensor1D;
let m: Sequential;

beforeAll(async () => ({registry, x, labels, m} = await setUpSuite(() => ({m: classifier('comp')}))));
afterAll(() => disposeAll(x, labels, m));

const base = (): CompileOptions => ({optimizer: adam(), loss: sparseCategoricalCrossentropy(), registry});

describe('compile refuses ids it cannot resolve', {timeout: 10_000}, () => {
  it("an unknown loss id 'meanSquaredErorr'", () =>
    expectRefused(() => m.compile({...base(), loss: 'meanSquaredErorr'}), UnknownIdError, 'meanSquaredErorr'));

  it("an unknown optimizer id 'adamm'", () => expectRefused(() => m.compile({...base(), optimizer: 'adamm'}), UnknownIdError, 'adamm'));

  it("an unknown metric id 'acuracy'", () => expectRefused(() => m.compile({...base(), metrics: ['acuracy']}), UnknownIdError, 'acuracy'));

  it("an unknown loss spec {id: 'trellis/nope'}", () =>
    expectRefused(() => m.compile({...base(), loss: {id: 'trellis/nope', config: {}}}), UnknownIdError, 'trellis/nope'));

  it("a known optimizer spec with a bad config {id: 'trellis/adam', config: {learningRate: -1}}", () =>
    expectRefused(() => m.compile({...base(), optimizer: {id: 'trellis/adam', config: {learningRate: -1}}}), ConfigError, '-1'));

  it('registry {} (not a registry): a typed error, not a TypeError', () =>
    expectRefused(
      () => m.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', registry: {} as never}),
      ConfigError,
      'registry',
    ));
});

describe('compile refuses values that are not what they should be', {timeout: 10_000}, () => {
  it('loss 42', () => expectRefused(() => m.compile({...base(), loss: 42 as never}), ConfigError, 'loss', '42'));

  it('loss missing', () => expectRefused(() => m.compile({optimizer: adam()} as never), ConfigError, 'loss'));

  it('loss the uncalled factory sparseCategoricalCrossentropy', () =>
    expectRefused(() => m.compile({...base(), loss: sparseCategoricalCrossentropy as never}), ConfigError, 'loss'));

  it('optimizer {}', () => expectRefused(() => m.compile({...base(), optimizer: {} as never}), ConfigError, 'optimizer'));

  it('optimizer null', () => expectRefused(() => m.compile({...base(), optimizer: null as never}), ConfigError, 'optimizer', 'null'));

  it('optimizer the uncalled factory adam', () =>
    expectRefused(() => m.compile({...base(), optimizer: adam as never}), ConfigError, 'optimizer'));

  it('metrics [null]', () => expectRefused(() => m.compile({...base(), metrics: [null as never]}), ConfigError, 'metric', 'null'));

  it("metrics 'accuracy' (a string, not a list)", () =>
    expectRefused(() => m.compile({...base(), metrics: 'accuracy' as never}), ConfigError, 'metrics'));

  it('two metrics with the same name', () =>
    expectRefused(() => m.compile({...base(), metrics: [accuracy(), accuracy()]}), ConfigError, 'accuracy'));

  it('compile(undefined)', () => expectRefused(() => m.compile(undefined as never), ConfigError, 'undefined'));

  it('a refused recompile keeps the previous compile: same optimizer, state intact, fit still works', async () => {
    const before = m.compiled.optimizer;
    await expectRefused(() => m.compile({...base(), loss: 42 as never}), ConfigError, '42');
    expect(m.compiled.optimizer).toBe(before);
    await m.fit(x, labels, {epochs: 1, batchSize: 10});
  });
});

describe('compile refuses what a plugin factory builds wrongly', {timeout: 10_000}, () => {
  const broken = createRegistry().use({
    name: 'acme-broken',
    specVersion: 1,
    setup(r) {
      r.register('loss', 'acme/fortyTwo', () => 42 as never);
      r.register('metric', 'acme/nothing', () => null as never);
      r.register('optimizer', 'acme/text', () => 'sgd' as never);
    },
  });

  it("a loss factory returning 42 (id 'acme/fortyTwo')", () =>
    expectRefused(() => m.compile({optimizer: adam(), loss: 'acme/fortyTwo', registry: broken}), ConfigError, 'acme/fortyTwo'));

  it("a metric factory returning null (id 'acme/nothing')", () =>
    expectRefused(
      () => m.compile({optimizer: adam(), loss: sparseCategoricalCrossentropy(), metrics: ['acme/nothing'], registry: broken}),
      ConfigError,
      'acme/nothing',
    ));

  it("an optimizer factory returning a string (id 'acme/text')", () =>
    expectRefused(
      () => m.compile({optimizer: 'acme/text', loss: sparseCategoricalCrossentropy(), registry: broken}),
      ConfigError,
      'acme/text',
    ));
});

describe('a metric that does not fit the loss', {timeout: 10_000}, () => {
  it('sparse crossentropy + categoricalAccuracy() fails before any weight changes', async () => {
    const net = classifier('mismatch');
    const before = weightValues(net);
    try {
      const error = await expectRefused(async () => {
        net.compile({optimizer: adam(), loss: sparseCategoricalCrossentropy(), metrics: [metrics.categoricalAccuracy()]});
        await net.fit(x, labels, {epochs: 1, batchSize: 5});
      }, [ConfigError, ShapeError]);
      expect(error.message).toMatch(/categorical_?accuracy/i);
      expect(weightValues(net)).toEqual(before);
    } finally {
      net.dispose();
    }
  });
});

describe('compile while a fit runs', {timeout: 10_000}, () => {
  it.each(['onEpochEnd', 'onBatchEnd'] as const)('compile from %s: fit rejects with a StateError', async (hook) => {
    const net = classifier('busy');
    try {
      await expectRefused(
        () =>
          net.fit(x, labels, {
            epochs: 2,
            batchSize: 10,
            callbacks: [{name: 'recompile', [hook]: () => net.compile({optimizer: adam(), loss: sparseCategoricalCrossentropy()})}],
          }),
        StateError,
        'busy',
        'compile',
      );
    } finally {
      net.dispose();
    }
  });

  it('fit from onEpochEnd of a running fit: refused, naming the model', async () => {
    const net = classifier('busy_2');
    try {
      await expectRefused(
        () => net.fit(x, labels, {epochs: 2, callbacks: [{name: 'refit', onEpochEnd: async () => void (await net.fit(x, labels))}]}),
        [StateError, ConfigError],
        'busy_2',
      );
    } finally {
      net.dispose();
    }
  });
});

describe('lossWeights and losses per output', {timeout: 10_000}, () => {
  function twoOutputs() {
    const a = input({shape: [3], name: 'feat'});
    const h = dense({units: 4, activation: 'relu'}).apply(a);
    const score = dense({units: 1, name: 'score'}).apply(h);
    const label = dense({units: 10, activation: 'softmax', name: 'label'}).apply(h);
    return functional({inputs: a, outputs: [score, label], name: 'two_out'});
  }

  it('lossWeights [1, 2] for a model with one output', () =>
    expectRefused(() => m.compile({...base(), lossWeights: [1, 2]}), ConfigError, '2'));

  it('lossWeights -1', () => expectRefused(() => m.compile({...base(), lossWeights: -1}), ConfigError, '-1'));

  it('lossWeights NaN', () => expectRefused(() => m.compile({...base(), lossWeights: NaN}), ConfigError, 'NaN'));

  it('lossWeights [1] for a model with two outputs', () => {
    const net = twoOutputs();
    return expectRefused(
      () => net.compile({optimizer: adam(), loss: [meanSquaredError(), sparseCategoricalCrossentropy()], lossWeights: [1]}),
      ConfigError,
      '2 outputs',
      '1',
    ).finally(() => net.dispose());
  });

  it('one loss for a model with two outputs', () => {
    const net = twoOutputs();
    return expectRefused(() => net.compile({optimizer: adam(), loss: [meanSquaredError()]}), ConfigError, 'score', 'label').finally(() =>
      net.dispose(),
    );
  });

  it("a loss record naming an unknown output 'nope'", () => {
    const net = twoOutputs();
    return expectRefused(
      () =>
        net.compile({
          optimizer: adam(),
          loss: {score: meanSquaredError(), label: sparseCategoricalCrossentropy(), nope: meanSquaredError()},
        }),
      ConfigError,
      'nope',
    ).finally(() => net.dispose());
  });

  it('fit before compile', async () => {
    const raw = new Sequential([dense({units: 2, inputShape: [3]})], {name: 'uncompiled'});
    raw.weights;
    try {
      await expectRefused(() => raw.fit(x, labels), ConfigError, 'uncompiled', 'compile');
    } finally {
      raw.dispose();
    }
  });
});
