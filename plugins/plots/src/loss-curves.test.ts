// Log routing and series building of the loss charts: keys to metrics and curves, x positions,
// sorted insertion, replacement, gaps.
import {describe, expect, it} from 'vitest';
import {createLossCurves, epochPosition, lowerBound, routeLogKey} from './loss-curves';

describe('routeLogKey', () => {
  it('sends a key to its metric and a val_ key to the same metric’s validation curve', () => {
    expect(routeLogKey('loss', null)).toEqual({metric: 'loss', split: 'training'});
    expect(routeLogKey('val_loss', null)).toEqual({metric: 'loss', split: 'validation'});
    expect(routeLogKey('val_accuracy', null)).toEqual({metric: 'accuracy', split: 'validation'});
    expect(routeLogKey('learning_rate', null)).toEqual({metric: 'learning_rate', split: 'training'});
  });

  it('leaves out per-layer keys, batch_loss and a bare val_ by default', () => {
    for (const key of ['grad_norm/dense', 'val_grad_norm/dense', 'batch_loss', 'val_batch_loss', 'val_']) {
      expect(routeLogKey(key, null), key).toBeNull();
    }
  });

  it('with metrics, draws only those (per-layer keys too when listed)', () => {
    const metrics = ['accuracy', 'grad_norm/dense'];
    expect(routeLogKey('loss', metrics)).toBeNull();
    expect(routeLogKey('val_accuracy', metrics)).toEqual({metric: 'accuracy', split: 'validation'});
    expect(routeLogKey('grad_norm/dense', metrics)).toEqual({metric: 'grad_norm/dense', split: 'training'});
  });
});

describe('epochPosition', () => {
  it('puts the logs of epoch e at e + 1 and a batch b at e + (b + 1) / steps', () => {
    expect(epochPosition(0)).toBe(1);
    expect(epochPosition(4)).toBe(5);
    expect(epochPosition(0, 0, 4)).toBe(0.25);
    expect(epochPosition(2, 3, 4)).toBe(3);
    expect(epochPosition(2, 1, 8)).toBe(2.25);
  });
});

describe('lowerBound', () => {
  it('finds the first index at or above x', () => {
    const xs = [1, 2, 2, 4];
    expect([0, 1, 2, 3, 4, 5].map((x) => lowerBound(xs, x))).toEqual([0, 0, 1, 3, 3, 4]);
    expect(lowerBound([], 3)).toBe(0);
  });
});

describe('createLossCurves', () => {
  it('builds one aligned curve pair per metric, loss first, nulls where a curve has no point', () => {
    const store = createLossCurves(null);
    store.add(0.5, {accuracy: 0.6, loss: 0.9, batch_loss: 0.8});
    store.add(1, {accuracy: 0.7, loss: 0.7, val_loss: 0.75, val_accuracy: 0.65});
    store.add(1.5, {accuracy: 0.8, loss: 0.5});
    store.add(2, {accuracy: 0.85, loss: 0.4, val_loss: 0.45, val_accuracy: 0.8});
    expect(store.curves()).toEqual([
      {metric: 'loss', x: [0.5, 1, 1.5, 2], training: [0.9, 0.7, 0.5, 0.4], validation: [null, 0.75, null, 0.45]},
      {metric: 'accuracy', x: [0.5, 1, 1.5, 2], training: [0.6, 0.7, 0.8, 0.85], validation: [null, 0.65, null, 0.8]},
    ]);
  });

  it('puts loss first even when a metric came first, and keeps the metrics in order of appearance', () => {
    const store = createLossCurves(null);
    store.add(1, {mae: 1, accuracy: 2});
    store.add(2, {loss: 3});
    expect(store.curves().map((c) => c.metric)).toEqual(['loss', 'mae', 'accuracy']);
  });

  it('follows the order of metrics when given', () => {
    const store = createLossCurves(['accuracy', 'loss', 'auc']);
    store.add(1, {loss: 1, accuracy: 0.5, mae: 3});
    expect(store.curves().map((c) => c.metric)).toEqual(['accuracy', 'loss']);
  });

  it('inserts an earlier x in order and replaces a point at the same x', () => {
    const store = createLossCurves(null);
    store.add(2, {loss: 0.2});
    store.add(1, {loss: 0.4});
    store.add(1.5, {loss: 0.3});
    // The last batch's running mean, then the epoch's logs at the same x.
    store.add(2, {loss: 0.25, val_loss: 0.3});
    expect(store.curves()).toEqual([{metric: 'loss', x: [1, 1.5, 2], training: [0.4, 0.3, 0.25], validation: [null, null, 0.3]}]);
  });

  it('turns NaN and infinite values into gaps', () => {
    const store = createLossCurves(null);
    store.add(1, {loss: Number.NaN, val_loss: Number.POSITIVE_INFINITY});
    store.add(2, {loss: 0.5, val_loss: 0.6});
    expect(store.curves()[0]).toEqual({metric: 'loss', x: [1, 2], training: [null, 0.5], validation: [null, 0.6]});
  });

  it('says whether the logs held a drawn key, and clears', () => {
    const store = createLossCurves(['loss']);
    expect(store.add(1, {accuracy: 1, batch_loss: 2})).toBe(false);
    expect(store.curves()).toEqual([]);
    expect(store.add(1, {loss: 1})).toBe(true);
    store.clear();
    expect(store.curves()).toEqual([]);
  });

  it('hands out copies: later points do not change curves already taken', () => {
    const store = createLossCurves(null);
    store.add(1, {loss: 1});
    const taken = store.curves();
    store.add(2, {loss: 0.5});
    expect(taken[0]!.x).toEqual([1]);
  });
});
