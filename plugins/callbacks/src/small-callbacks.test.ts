import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, TrellisError, type FitContext} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {replay, series} from '../test/replay';
import {lambdaCallback} from './lambda-callback';
import {learningRateScheduler} from './learning-rate-scheduler';
import {pythonFloat} from './output';
import {terminateOnNaN} from './terminate-on-nan';

beforeAll(() => tf.setBackend('cpu'));

describe('learningRateScheduler', () => {
  it('sets schedule(epoch, rate) at each epoch start and logs learning_rate at its end', async () => {
    const seen: [number, number][] = [];
    const callback = learningRateScheduler((epoch, lr) => {
      seen.push([epoch, lr]);
      return epoch < 2 ? lr : lr * 0.5;
    });
    const r = await replay([callback], series('val_loss', [1, 1, 1, 1]), {learningRate: 0.1});
    const f = Math.fround;
    expect(seen).toEqual([
      [0, f(0.1)],
      [1, f(0.1)],
      [2, f(0.1)],
      [3, f(f(0.1) * 0.5)],
    ]);
    expect(r.rates).toEqual([f(0.1), f(0.1), f(0.1) * 0.5, f(f(0.1) * 0.5) * 0.5]);
    expect(r.logs.map((l) => l.learning_rate)).toEqual(r.rates.map(f));
    expect(callback.saveState!()).toEqual({});
  });

  it("verbose 1 prints Keras' line; a schedule returning a non-number is a ConfigError", async () => {
    const messages: string[] = [];
    await replay([learningRateScheduler(() => 1e-5, {verbose: 1, print: (m) => messages.push(m)})], series('loss', [1]));
    expect(messages).toEqual(['\nEpoch 1: LearningRateScheduler setting learning rate to 1e-05.']);
    await expect(replay([learningRateScheduler(() => Number.NaN)], series('loss', [1]))).rejects.toThrow(
      /learningRateScheduler: the schedule must return a finite number >= 0.*got NaN.*at epoch 0/,
    );
    expect(() => learningRateScheduler(0.1 as never)).toThrow(/schedule must be a function/);
    expect(() => learningRateScheduler(() => 1, {verbos: 1} as never)).toThrow(/did you mean 'verbose'/);
  });
});

describe('terminateOnNaN', () => {
  it('stops after the first batch whose loss is NaN or infinite', async () => {
    const messages: string[] = [];
    const losses = [
      [1, 0.9, 0.8],
      [0.7, Number.POSITIVE_INFINITY, 0.5],
      [0.4, 0.3, 0.2],
    ];
    const callback = terminateOnNaN({print: (m) => messages.push(m)});
    const r = await replay([callback], series('loss', [1, 1, 1]), {stepsPerEpoch: 3, batchLosses: losses});
    expect(r.epochs).toEqual([0, 1]);
    expect(r.stoppedAt).toBe(1);
    expect(r.model.step).toBe(5);
    expect(messages).toEqual(['Batch 1: Invalid loss, terminating training']);
    expect(r.stopReason).toBe('terminateOnNaN: the loss was inf at batch 1 of epoch 2');
    const clean = await replay([terminateOnNaN({print: () => undefined})], series('loss', [1, 1]), {stepsPerEpoch: 2});
    expect(clean.stoppedAt).toBeNull();
  });

  it('raiseError throws a TrellisError naming the batch', async () => {
    const losses = [[Number.NaN]];
    const error = await replay([terminateOnNaN({raiseError: true})], series('loss', [1]), {batchLosses: losses}).catch((e: unknown) => e);
    expect(TrellisError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/NaN or Inf loss encountered at batch 0 of epoch 1\. Loss value: nan\./);
    expect(() => terminateOnNaN({raiseError: 1 as never})).toThrow(/raiseError must be true or false/);
  });
});

describe('lambdaCallback', () => {
  it('calls the hooks it is given, named as the contract', async () => {
    const calls: string[] = [];
    const hook = (name: string) => (c: FitContext) => void calls.push(`${name}:${c.epoch}`);
    const callback = lambdaCallback({
      onFitStart: hook('fitStart'),
      onEpochStart: hook('epochStart'),
      onBatchEnd: hook('batchEnd'),
      onEpochEnd: hook('epochEnd'),
      onFitEnd: hook('fitEnd'),
    });
    expect(callback.onBatchStart).toBeUndefined();
    await replay([callback], series('loss', [1, 1]));
    expect(calls).toEqual([
      'fitStart:0',
      'epochStart:0',
      'batchEnd:0',
      'epochEnd:0',
      'epochStart:1',
      'batchEnd:1',
      'epochEnd:1',
      'fitEnd:2',
    ]);
    expect(callback.name).toBe('lambdaCallback');
    expect(callback.saveState!()).toEqual({});
  });

  it('takes a name, an order and state functions; refuses Keras spellings and non-functions', () => {
    let loaded: unknown = null;
    const callback = lambdaCallback({name: 'mine', order: -1, saveState: () => ({n: 3}), loadState: (s) => void (loaded = s)});
    expect(callback.order).toBe(-1);
    expect(callback.saveState!()).toEqual({n: 3});
    callback.loadState!({n: 4});
    expect(loaded).toEqual({n: 4});
    expect(() => lambdaCallback({on_epoch_end: () => undefined} as never)).toThrow(/did you mean 'onEpochEnd'/);
    expect(() => lambdaCallback({onEpochEnd: 3 as never})).toThrow(/lambdaCallback: onEpochEnd must be a function; got 3/);
    expect(() => lambdaCallback(undefined as never)).toThrow(ConfigError);
  });
});

describe('pythonFloat', () => {
  it("writes floats as Python's repr", () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1, '1.0'],
      [-2.5, '-2.5'],
      [1e-5, '1e-05'],
      [1.5e-5, '1.5e-05'],
      [0.0001, '0.0001'],
      [123456789.125, '123456789.125'],
      [1e16, '1e+16'],
      [1.234e20, '1.234e+20'],
      [9999999999999998, '9999999999999998.0'],
      [Math.fround(0.1), '0.10000000149011612'],
      [0, '0.0'],
      [-0, '-0.0'],
      [Number.NaN, 'nan'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [5e-324, '5e-324'],
    ];
    for (const [value, text] of cases) expect(pythonFloat(value), String(value)).toBe(text);
  });
});
