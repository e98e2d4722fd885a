// Unknown options are refused with the closest valid key; messages name what came and what to do;
// a diverging run says so.
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';
import {ConfigError, DTypeError, Sequential, createTrellis, dense, input, meanSquaredError, model, setSeed, sgd} from '../index';
import {checkOptions} from '@trellis/core';
import {onCpuWith} from '../../test/cpu';

const data = onCpuWith(() => ({
  x: tf.randomUniform([20, 3], -1, 1, 'float32', 1),
  y: tf.randomUniform([20, 1], -1, 1, 'float32', 2),
}));

function small() {
  setSeed(5);
  const m = new Sequential([dense({units: 1, inputShape: [3]})], {name: 'small'});
  m.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
  return m;
}

const refusal = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
};

describe('unknown options', () => {
  it.each([
    ['fit', {batch_size: 500}, 'batch_size', 'batchSize'],
    ['fit', {validation_split: 0.1}, 'validation_split', 'validationSplit'],
    ['fit', {epoch: 5}, 'epoch', 'epochs'],
    ['fit', {callback: []}, 'callback', 'callbacks'],
    ['evaluate', {batchsize: 4}, 'batchsize', 'batchSize'],
    ['predict', {batch_size: 4}, 'batch_size', 'batchSize'],
  ])('%s(%o) is refused, suggesting the closest option', async (method, options, key, suggestion) => {
    const m = small();
    const before = tf.memory().numTensors;
    const run = {
      fit: () => m.fit(data.x, data.y, options as never),
      evaluate: () => m.evaluate(data.x, data.y, options as never),
      predict: () => m.predict(data.x, options as never),
    }[method as 'fit']!;
    const error = await refusal(run);
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toContain(`'${key}' (did you mean '${suggestion}'?)`);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.history).toBeNull();
    m.dispose();
  });

  it('compile, Sequential, input, model and fitDataset refuse unknown keys too', async () => {
    const m = small();
    expect(() => m.compile({optimizer: sgd(), loss: meanSquaredError(), metric: []} as never)).toThrow(
      /'metric' \(did you mean 'metrics'\?\)/,
    );
    expect(() => m.compile({optimizer: sgd(), loss: meanSquaredError(), registry: {} as never})).toThrow(/registry must be a registry/);
    expect(() => new Sequential([], {nmae: 'x'} as never)).toThrow(/'nmae' \(did you mean 'name'\?\)/);
    expect(() => input({shape: [3], dtyp: 'int32'} as never)).toThrow(/'dtyp' \(did you mean 'dtype'\?\)/);
    const i = input({shape: [3]});
    expect(() => model({inputs: i, output: i} as never)).toThrow(/'output' \(did you mean 'outputs'\?\)/);
    await expect(m.fitDataset([[data.x, data.y]], {epochs: 1, steps_per_epoch: 2} as never)).rejects.toThrow(/'steps_per_epoch'/);
    m.dispose();
  });

  it('checkOptions, the kit function every package uses, suggests by spelling and by case', () => {
    expect(() => checkOptions('dense', {activaton: 'relu'}, ['units', 'activation'])).toThrow(
      /'activaton' \(did you mean 'activation'\?\)/,
    );
    expect(() => checkOptions('fit', {BatchSize: 1}, ['batchSize'])).toThrow(/did you mean 'batchSize'/);
    expect(() => checkOptions('fit', {zzz: 1}, ['batchSize'])).toThrow(/does not know the option 'zzz'; it takes 'batchSize'/);
    expect(() => checkOptions('fit', 5, ['batchSize'])).toThrow(/fit expects an options object .* got 5 \(number\)/);
    expect(checkOptions('fit', undefined, ['batchSize'])).toEqual({});
  });
});

describe('messages', () => {
  it('a rank-1 x says it lacks the feature dimension, never "inputShape []"', async () => {
    const m = small();
    const flat = tf.zeros([3]);
    const error = await refusal(() => m.predict(flat));
    expect(error.message).toMatch(
      /x has shape \[3\], but the model expects \[batch, 3\]: x has no feature dimension\. If it is one sample, add the batch dimension/,
    );
    expect(error.message).not.toMatch(/inputShape \[\]/);
    const many = tf.zeros([20]);
    expect((await refusal(() => m.fit(many, data.y))).message).toMatch(/Reshape it to \[samples, 3\]/);
    tf.dispose([flat, many]);
    m.dispose();
  });

  it('a string sampleWeight is a DTypeError', async () => {
    const m = small();
    const before = tf.memory().numTensors;
    const w = tf.tensor1d(
      Array.from({length: 20}, () => 'a'),
      'string',
    );
    const error = await refusal(() => m.fit(data.x, data.y, {sampleWeight: w}));
    expect(DTypeError.is(error)).toBe(true);
    expect(error.message).toMatch(/sampleWeight must hold numbers .* got a string tensor/);
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('a diverging run', () => {
  it('goes on as in Keras, with the first non-finite loss in the history and one warning in the progress output', async () => {
    setSeed(1);
    const m = new Sequential([dense({units: 1, inputShape: [3]})]);
    m.compile({optimizer: sgd({learningRate: 1e10}), loss: meanSquaredError()});
    const printed: string[] = [];
    const history = await m.fit(data.x, data.y, {epochs: 3, batchSize: 4, shuffle: false, verbose: 2, print: (t) => printed.push(t)});
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(Number.isFinite(history.history.loss![2]!)).toBe(false);
    expect(history.firstNonFinite).not.toBeNull();
    const {epoch, batch} = history.firstNonFinite!;
    expect(Number.isFinite(history.history.loss![epoch]!)).toBe(false);
    if (epoch > 0) expect(Number.isFinite(history.history.loss![epoch - 1]!)).toBe(true);
    expect(batch).toBeGreaterThanOrEqual(0);
    const warnings = printed.filter((t) => t.startsWith('Warning: the loss became'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`at batch ${batch + 1} of epoch ${epoch + 1}`);
    m.dispose();
  });

  it('reports no non-finite loss for a healthy run', async () => {
    const m = small();
    const history = await m.fit(data.x, data.y, {epochs: 2});
    expect(history.firstNonFinite).toBeNull();
    expect(Object.keys(history.history).sort()).toEqual(['loss']);
    m.dispose();
  });
});

describe('bad targets in the validation data', () => {
  it('say that they are in the validation data', async () => {
    setSeed(2);
    const m = new Sequential([dense({units: 3, activation: 'softmax', inputShape: [3]})]);
    m.compile({optimizer: sgd(), loss: 'sparseCategoricalCrossentropy', registry: (await createTrellis({backend: false})).registry});
    const labels = tf.tensor1d(
      Array.from({length: 20}, (_, i) => i % 3),
      'int32',
    );
    const bad = tf.tensor1d(
      Array.from({length: 20}, (_, i) => (i === 4 ? 7 : i % 3)),
      'int32',
    );
    const before = tf.memory().numTensors;
    const error = await refusal(() => m.fit(data.x, labels, {validationData: [data.x, bad]}));
    expect(error.name).toBe('DataError');
    expect(error.message).toMatch(/^In y \(validation\): sparseCategoricalCrossentropy: the target at index \[4\] \(sample 4\) is 7/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([labels, bad]);
    m.dispose();
  });
});
