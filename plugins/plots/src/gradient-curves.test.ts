// Series building of the gradient chart: records to per-layer curves aligned on the step.
import {describe, expect, it} from 'vitest';
import {createGradientCurves} from './gradient-curves';

const record = (step: number, layers: Record<string, number>, extra: Record<string, number> = {}) => ({
  step,
  epoch: 0,
  layers: Object.entries(layers).map(([layer, gradNorm]) => ({layer, gradNorm, gradRms: gradNorm / 10, updateRatio: extra[layer] ?? 0})),
});

describe('createGradientCurves', () => {
  it('aligns every layer on the steps, in order of first appearance, null where a layer has no value', () => {
    const store = createGradientCurves('gradNorm', true);
    store.add([record(0, {dense: 0.5, dense_1: 2}), record(10, {dense: 0.25, dense_1: 1})]);
    store.add([record(20, {dense: 0.125, dense_1: 0.5, dense_2: 4})]);
    expect(store.curves()).toEqual({
      x: [0, 10, 20],
      layers: [
        {layer: 'dense', values: [0.5, 0.25, 0.125]},
        {layer: 'dense_1', values: [2, 1, 0.5]},
        {layer: 'dense_2', values: [null, null, 4]},
      ],
    });
  });

  it('draws the chosen statistic', () => {
    const store = createGradientCurves('gradRms', false);
    store.add([record(0, {a: 5, b: 20})]);
    expect(store.curves().layers.map((l) => l.values)).toEqual([[0.5], [2]]);
  });

  it('leaves out values at or below 0 on a log scale (not on a linear one), and non-finite ones', () => {
    const log = createGradientCurves('updateRatio', true);
    const linear = createGradientCurves('updateRatio', false);
    const records = [record(0, {a: 1, b: 1, c: 1}, {a: 0, b: Number.NaN, c: 1e-3})];
    log.add(records);
    linear.add(records);
    expect(log.curves().layers.map((l) => l.values)).toEqual([[null], [null], [1e-3]]);
    expect(linear.curves().layers.map((l) => l.values)).toEqual([[0], [null], [1e-3]]);
  });

  it('a statistic a record lacks is a gap', () => {
    const store = createGradientCurves('weightNorm', true);
    store.add([{step: 3, layers: [{layer: 'a', gradNorm: 1}]}]);
    expect(store.curves()).toEqual({x: [3], layers: [{layer: 'a', values: [null]}]});
  });

  it('inserts an earlier step in order, replaces a step given again, and clears', () => {
    const store = createGradientCurves('gradNorm', true);
    store.add([record(20, {a: 1, b: 2})]);
    store.add([record(10, {a: 3})]);
    store.add([record(20, {a: 4})]);
    expect(store.curves()).toEqual({
      x: [10, 20],
      layers: [
        {layer: 'a', values: [3, 4]},
        {layer: 'b', values: [null, null]},
      ],
    });
    store.clear();
    expect(store.curves()).toEqual({x: [], layers: []});
  });
});
