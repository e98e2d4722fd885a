import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {replay, series} from '../test/replay';
import {earlyStopping, type EarlyStoppingOptions} from './early-stopping';

beforeAll(() => tf.setBackend('cpu'));

const quiet = {print: () => undefined};

async function run(options: EarlyStoppingOptions, values: readonly number[], key = 'val_loss') {
  const callback = earlyStopping({...quiet, ...options});
  const result = await replay([callback], series(key, values));
  return {callback, ...result};
}

describe('earlyStopping', () => {
  it('stops once patience epochs pass without improvement, and reads stoppedEpoch and bestEpoch', async () => {
    const r = await run({patience: 2}, [1, 0.9, 0.95, 0.92, 0.91, 0.8]);
    expect(r.stoppedAt).toBe(3);
    expect(r.callback.stoppedEpoch).toBe(3);
    expect(r.callback.bestEpoch).toBe(1);
    expect(r.callback.best).toBe(0.9);
    expect(r.stopReason).toMatch(/earlyStopping: val_loss did not improve for 2 epochs/);
    expect(r.restores).toBe(0);
  });

  it('patience 0 stops at the first epoch that does not improve; equal is not better', async () => {
    expect((await run({}, [1, 0.5, 0.5, 0.1])).stoppedAt).toBe(2);
    expect((await run({}, [1, 2])).stoppedAt).toBe(1);
    const r = await run({}, [3, 2, 1]);
    expect(r.stoppedAt).toBeNull();
    expect(r.callback.stoppedEpoch).toBe(0);
  });

  it('minDelta: a gain smaller than it is no improvement (its sign does not matter)', async () => {
    expect((await run({minDelta: 0.1, patience: 1}, [1, 0.95, 0.85])).stoppedAt).toBe(1);
    expect((await run({minDelta: -0.1, patience: 1}, [1, 0.95, 0.85])).stoppedAt).toBe(1);
    expect((await run({minDelta: 0.01, patience: 1}, [1, 0.95, 0.85])).stoppedAt).toBeNull();
  });

  it('mode max, and auto for accuracy-like names', async () => {
    expect((await run({monitor: 'val_accuracy', patience: 1}, [0.5, 0.6, 0.6, 0.55], 'val_accuracy')).stoppedAt).toBe(2);
    expect((await run({monitor: 'val_auc', patience: 0}, [0.5, 0.6, 0.7], 'val_auc')).stoppedAt).toBeNull();
    expect((await run({monitor: 'score', mode: 'max'}, [1, 2, 1], 'score')).stoppedAt).toBe(2);
    expect((await run({monitor: 'val_mean_squared_error'}, [2, 1, 3], 'val_mean_squared_error')).stoppedAt).toBe(2);
  });

  it('baseline: improvements that do not beat it keep counting, yet an improvement never stops', async () => {
    const improving = await run({baseline: 0.5, patience: 2}, [1, 0.9, 0.8, 0.7]);
    expect(improving.stoppedAt).toBeNull();
    expect(improving.callback.wait).toBe(4);
    expect((await run({baseline: 0.5, patience: 2}, [1, 0.9, 0.95])).stoppedAt).toBe(2);
    const beaten = await run({baseline: 0.5, patience: 2}, [0.4, 0.45, 0.41, 0.3]);
    expect(beaten.stoppedAt).toBe(2);
    expect((await run({baseline: 0.5, patience: 2}, [0.4, 0.45, 0.39, 0.41])).stoppedAt).toBeNull();
  });

  it('startFromEpoch: the first epochs are not watched', async () => {
    const r = await run({startFromEpoch: 2, patience: 1}, [1, 2, 3, 4, 5]);
    expect(r.stoppedAt).toBe(3);
    expect(r.callback.bestEpoch).toBe(2);
  });

  it('compares in float32, as Keras: a gain below float32 resolution is no improvement', async () => {
    expect((await run({}, [0.3, 0.3 - 1e-9])).stoppedAt).toBe(1);
    expect((await run({}, [0.3, 0.3 - 1e-7])).stoppedAt).toBeNull();
  });

  it('restoreBestWeights: restores the best epoch at a stop, and at the end of a fit that ran through', async () => {
    const stopped = await run({patience: 2, restoreBestWeights: true}, [1, 0.9, 0.95, 0.92]);
    expect(stopped.stoppedAt).toBe(3);
    expect(stopped.restoredEpoch).toBe(1);
    const through = await run({patience: 10, restoreBestWeights: true}, [1, 0.9, 0.95]);
    expect(through.stoppedAt).toBeNull();
    expect(through.restoredEpoch).toBe(1);
    const lastIsBest = await run({patience: 10, restoreBestWeights: true}, [1, 0.9]);
    expect(lastIsBest.restoredEpoch).toBe(1);
    const warm = await run({startFromEpoch: 1, restoreBestWeights: true, patience: 5}, [0.1, 1, 2]);
    expect(warm.restoredEpoch).toBe(1);
  });

  it('restoreBestWeights keeps no tensor after the fit: the count is flat across epochs', async () => {
    const counts: number[] = [];
    const callback = earlyStopping({...quiet, patience: 50, restoreBestWeights: true});
    const probe = {name: 'count', onEpochEnd: () => void counts.push(tf.memory().numTensors)};
    const before = tf.memory().numTensors;
    await replay([callback, probe], series('val_loss', [5, 4, 4.5, 3, 3.5, 3.2, 2, 2.1, 2.2, 2.3]));
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a missing monitored key warns once, listing the keys there are, and never stops', async () => {
    const messages: string[] = [];
    const callback = earlyStopping({monitor: 'val_loss', print: (m) => messages.push(m)});
    const r = await replay(
      [callback],
      [
        {loss: 1, accuracy: 0.5},
        {loss: 2, accuracy: 0.4},
        {loss: 3, accuracy: 0.3},
      ],
    );
    expect(r.stoppedAt).toBeNull();
    expect(messages).toEqual([
      'Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss,accuracy',
    ]);
  });

  it("verbose 1 prints Keras' lines", async () => {
    const messages: string[] = [];
    await replay([earlyStopping({verbose: 1, restoreBestWeights: true, print: (m) => messages.push(m)})], series('val_loss', [1, 2]));
    expect(messages).toEqual(['Epoch 2: early stopping', 'Restoring model weights from the end of the best epoch: 1.']);
  });

  it('is reset by the next fit (Keras on_train_begin)', async () => {
    const callback = earlyStopping(quiet);
    expect((await replay([callback], series('val_loss', [1, 2]))).stoppedAt).toBe(1);
    const again = await replay([callback], series('val_loss', [3, 2, 1]));
    expect(again.stoppedAt).toBeNull();
    expect(callback.stoppedEpoch).toBe(0);
  });

  it('saveState/loadState: a run resumed after any epoch decides exactly as an unbroken one', async () => {
    const values = [1, 0.9, 0.95, 0.92, 0.85, 0.86, 0.87, 0.88, 0.8];
    const options = {patience: 2, minDelta: 0.01, baseline: 0.9};
    const whole = await run(options, values);
    for (let split = 1; split < values.length - 1; split++) {
      const first = earlyStopping({...quiet, ...options});
      const a = await replay([first], series('val_loss', values), {epochs: split});
      if (a.stoppedAt !== null) continue;
      const state = JSON.parse(JSON.stringify(first.saveState()));
      const second = earlyStopping({...quiet, ...options});
      second.loadState(state);
      const b = await replay([second], series('val_loss', values), {initialEpoch: split, epochs: values.length});
      expect(b.stoppedAt, `split at ${split}`).toBe(whole.stoppedAt);
      expect(second.bestEpoch).toBe(whole.callback.bestEpoch);
      expect(second.wait).toBe(whole.callback.wait);
    }
  });

  it('state keeps non-finite bests; restoreBestWeights after a resume warns when nothing improved since', async () => {
    const first = earlyStopping({...quiet, patience: 9});
    await replay([first], series('val_loss', [Number.NaN]));
    expect(first.saveState()).toEqual({wait: 0, stoppedEpoch: 0, best: 'NaN', bestEpoch: 0});
    const messages: string[] = [];
    const second = earlyStopping({patience: 5, restoreBestWeights: true, print: (m) => messages.push(m)});
    second.loadState({wait: 0, stoppedEpoch: 0, best: 0.5, bestEpoch: 1});
    const r = await replay([second], series('val_loss', [1, 1, 1, 1]), {initialEpoch: 2});
    expect(r.restores).toBe(0);
    expect(messages[0]).toMatch(/best epoch \(2\) were not kept across the resume/);
    expect(() => second.loadState({wait: -1, stoppedEpoch: 0, best: null, bestEpoch: 0})).toThrow(StateError);
    expect(() => second.loadState({wait: 0})).toThrow(/lacks 'stoppedEpoch', 'best', 'bestEpoch'/);
  });

  it('refuses bad options with a ConfigError naming the option', () => {
    expect(() => earlyStopping({patience: -1})).toThrow(/earlyStopping: patience must be an integer >= 0; got -1/);
    expect(() => earlyStopping({patience: 1.5})).toThrow(ConfigError);
    expect(() => earlyStopping({minDelta: Number.NaN})).toThrow(/minDelta must be a finite number; got NaN/);
    expect(() => earlyStopping({baseline: Infinity})).toThrow(/baseline must be a finite number/);
    expect(() => earlyStopping({mode: 'maximum' as never})).toThrow(/mode must be 'auto', 'min' or 'max'; got 'maximum'/);
    expect(() => earlyStopping({monitor: 'val_score'})).toThrow(
      /cannot tell whether 'val_score' should be maximized or minimized.*mode: 'max'/,
    );
    expect(() => earlyStopping({startFromEpoch: -2})).toThrow(/startFromEpoch/);
    expect(() => earlyStopping({verbose: 2 as never})).toThrow(/verbose must be 0/);
    expect(() => earlyStopping({restoreBestWeights: 'yes' as never})).toThrow(/restoreBestWeights must be true or false/);
    expect(() => earlyStopping({restore_best_weights: true} as never)).toThrow(/did you mean 'restoreBestWeights'/);
  });

  it('checks options and state entries in a fixed order, and saves its state in that order', () => {
    expect(() => earlyStopping({minDelta: Number.NaN, patience: -1})).toThrow(/minDelta/);
    expect(() => earlyStopping({patience: -1, verbose: 2 as never})).toThrow(/patience/);
    expect(() => earlyStopping({verbose: 2 as never, mode: 'up' as never})).toThrow(/verbose/);
    expect(() => earlyStopping({mode: 'up' as never, baseline: Infinity})).toThrow(/mode/);
    const callback = earlyStopping(quiet);
    expect(Object.keys(callback.saveState() as object)).toEqual(['wait', 'stoppedEpoch', 'best', 'bestEpoch']);
    expect(() => callback.loadState({wait: -1, stoppedEpoch: -1, best: 'x', bestEpoch: -1})).toThrow(
      /earlyStopping.loadState: wait must be an integer >= 0; got -1/,
    );
    expect(() => callback.loadState({wait: 0, stoppedEpoch: 0, best: 'x', bestEpoch: -1})).toThrow(
      /earlyStopping.loadState: best must be a number or null/,
    );
  });
});
