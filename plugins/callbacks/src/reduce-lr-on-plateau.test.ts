import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {FakeModel, replay, series} from '../test/replay';
import {reduceLROnPlateau, type ReduceLROnPlateauOptions} from './reduce-lr-on-plateau';

const quiet = {print: () => undefined};
const f = Math.fround;

async function run(options: ReduceLROnPlateauOptions, values: readonly number[], learningRate = 0.1, key = 'val_loss') {
  const callback = reduceLROnPlateau({...quiet, ...options});
  const result = await replay([callback], series(key, values), {learningRate});
  return {callback, ...result};
}

describe('reduceLROnPlateau', () => {
  it('multiplies the rate by factor after patience epochs without improvement, then cools down', async () => {
    const r = await run({patience: 2, factor: 0.5, cooldown: 1}, [1, 1, 1, 1, 1, 1, 1]);
    const first = f(0.1) * 0.5;
    const second = f(first) * 0.5;
    expect(r.rates).toEqual([0.1, 0.1, 0.1, first, first, second, second]);
    expect(r.logs.map((l) => l.learning_rate)).toEqual([f(0.1), f(0.1), f(0.1), f(first), f(first), f(second), f(second)]);
    // Epoch 6 reduced again: a cooldown epoch is left, the wait starts over.
    expect(r.model.rate).toBe(f(second) * 0.5);
    expect(r.callback.cooldownCounter).toBe(1);
    expect(r.callback.wait).toBe(0);
  });

  it('an improvement by more than minDelta resets the wait', async () => {
    const r = await run({patience: 2, minDelta: 0.05}, [1, 0.9, 0.87, 0.8, 0.79, 0.78]);
    // 0.87 and 0.79/0.78 gain less than 0.05: waits 1 (epoch 2), 0 (epoch 3), 1, 2 -> reduce after epoch 5.
    expect(r.rates).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(r.model.rate).toBe(f(0.1) * 0.1);
  });

  it('stops at minLr and does not reduce below it (nor reset the wait there)', async () => {
    const r = await run({patience: 1, factor: 0.1, minLr: 0.005}, [1, 1, 1, 1, 1], 0.1);
    expect(r.rates).toEqual([0.1, 0.1, f(0.1) * 0.1, 0.005, 0.005]);
    expect(r.callback.wait).toBe(2);
  });

  it('mode max (auto for accuracy)', async () => {
    const r = await run({monitor: 'val_accuracy', patience: 1, factor: 0.5}, [0.5, 0.6, 0.55], 0.2, 'val_accuracy');
    expect(r.model.rate).toBe(f(0.2) * 0.5);
  });

  it('adds learning_rate to the logs even when the monitored key is missing, and warns once', async () => {
    const messages: string[] = [];
    const callback = reduceLROnPlateau({patience: 0, print: (m) => messages.push(m)});
    const r = await replay([callback], [{loss: 1}, {loss: 2}, {loss: 3}], {learningRate: 0.01});
    expect(r.logs).toEqual([
      {loss: 1, learning_rate: f(0.01)},
      {loss: 2, learning_rate: f(0.01)},
      {loss: 3, learning_rate: f(0.01)},
    ]);
    expect(messages).toEqual([
      'Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate.',
    ]);
    expect(r.model.rate).toBe(0.01);
  });

  it("verbose 1 prints Keras' line", async () => {
    const messages: string[] = [];
    await replay([reduceLROnPlateau({patience: 0, verbose: 1, factor: 0.5, print: (m) => messages.push(m)})], series('val_loss', [1, 2]), {
      learningRate: 0.5,
    });
    expect(messages).toEqual(['\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.25.']);
  });

  it('saveState/loadState: a run resumed after any epoch reduces exactly as an unbroken one', async () => {
    const values = [1, 0.99, 0.98, 0.985, 0.97, 0.975, 0.976, 0.96, 0.965, 0.97, 0.99];
    const options = {patience: 2, factor: 0.5, cooldown: 2, minDelta: 0.005};
    const whole = await run(options, values);
    for (let split = 1; split < values.length; split++) {
      const model = new FakeModel(0.1);
      const first = reduceLROnPlateau({...quiet, ...options});
      await replay([first], series('val_loss', values), {epochs: split, model});
      const second = reduceLROnPlateau({...quiet, ...options});
      second.loadState(JSON.parse(JSON.stringify(first.saveState())));
      const b = await replay([second], series('val_loss', values), {initialEpoch: split, epochs: values.length, model});
      expect(b.rates, `split at ${split}`).toEqual(whole.rates.slice(split));
      expect(second.saveState()).toEqual(whole.callback.saveState());
    }
  });

  it('refuses bad options with a ConfigError naming the option', async () => {
    expect(() => reduceLROnPlateau({factor: 1})).toThrow(/reduceLROnPlateau: factor must be a finite number in \(0, 1\).*got 1 \(number\)/);
    expect(() => reduceLROnPlateau({factor: 0})).toThrow(/factor must be/);
    expect(() => reduceLROnPlateau({factor: Number.NaN})).toThrow(ConfigError);
    expect(() => reduceLROnPlateau({patience: -1})).toThrow(/patience must be an integer >= 0; got -1/);
    expect(() => reduceLROnPlateau({cooldown: -1})).toThrow(/cooldown must be an integer >= 0; got -1/);
    expect(() => reduceLROnPlateau({minLr: -1})).toThrow(/minLr must be a finite number >= 0/);
    expect(() => reduceLROnPlateau({minDelta: Infinity})).toThrow(/minDelta must be a finite number/);
    expect(() => reduceLROnPlateau({mode: 'up' as never})).toThrow(/mode must be 'auto', 'min' or 'max'/);
    expect(() => reduceLROnPlateau({min_lr: 0} as never)).toThrow(/did you mean 'minLr'/);
    const bare = new FakeModel(0.1);
    Object.defineProperty(bare.optimizer, 'learningRate', {get: () => undefined});
    await expect(replay([reduceLROnPlateau()], series('val_loss', [1]), {model: bare})).rejects.toThrow(/has no learning rate to reduce/);
  });

  it('checks options and state entries in a fixed order, and saves its state in that order', () => {
    expect(() => reduceLROnPlateau({factor: 2, patience: -1})).toThrow(/factor/);
    expect(() => reduceLROnPlateau({patience: -1, verbose: 2 as never})).toThrow(/patience/);
    expect(() => reduceLROnPlateau({verbose: 2 as never, mode: 'up' as never})).toThrow(/verbose/);
    expect(() => reduceLROnPlateau({mode: 'up' as never, minDelta: Infinity})).toThrow(/mode/);
    expect(() => reduceLROnPlateau({minDelta: Infinity, cooldown: -1})).toThrow(/minDelta/);
    const callback = reduceLROnPlateau(quiet);
    expect(Object.keys(callback.saveState() as object)).toEqual(['best', 'wait', 'cooldownCounter']);
    expect(() => callback.loadState({best: 'x', wait: -1, cooldownCounter: -1})).toThrow(
      /reduceLROnPlateau.loadState: best must be a number or null; got 'x'/,
    );
    expect(() => callback.loadState({best: null, wait: -1, cooldownCounter: -1})).toThrow(
      /reduceLROnPlateau.loadState: wait must be an integer >= 0; got -1/,
    );
  });
});
