import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, Sequential, type Layer, type StepInspection} from '@trellis/core';
import {dense} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';
import {meanSquaredError} from '@trellis/layers';
import {beforeAll, describe, expect, it} from 'vitest';
import {diagnose, DEFAULT_LIMITS} from './diagnosis';
import {gradientMonitor} from './gradient-monitor';
import {hasReluOutput, layerStatistics, statisticsFromValues, type LayerStatistics} from './layer-statistics';

beforeAll(() => tf.setBackend('cpu'));

const fakeLayer = (name: string, config: Record<string, unknown>, id = 'trellis/dense') => ({name, spec: {id, config}}) as unknown as Layer;

function norm(values: readonly number[]): number {
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0));
}

describe('layerStatistics', () => {
  it('computes norms, the update ratio, non-finite counts and dead ReLU units against a float64 oracle', async () => {
    const g = {'a/kernel': [0.1, -0.2, 0.3, 0.4], 'a/bias': [0.5, 0], 'b/kernel': [Number.NaN, 1, 2, Number.POSITIVE_INFINITY]};
    const before = {'a/kernel': [1, 2, 3, 4], 'a/bias': [0, 1], 'b/kernel': [1, 1, 1, 1]};
    const after = {'a/kernel': [1.1, 2, 3, 4], 'a/bias': [0, 0.9], 'b/kernel': [1, 1, 1, 2]};
    const t = (values: Record<string, number[]>) =>
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, tf.tensor(v, k.endsWith('bias') ? [2] : [2, 2])]));
    // Layer a is a relu layer whose second unit is 0 for both samples: half its units are dead.
    const out = tf.tensor2d([
      [1, 0],
      [0, 0],
    ]);
    const inspection: StepInspection = {
      gradients: t(g),
      weightsBefore: t(before),
      weightsAfter: t(after),
      outputs: [
        {layer: fakeLayer('a', {activation: 'relu'}), output: out},
        {layer: fakeLayer('b', {activation: 'linear'}), output: out},
      ],
    };
    const start = tf.memory().numTensors;
    const {order, sizes, values, reluLayers} = layerStatistics(inspection);
    const stats = statisticsFromValues(order, sizes, reluLayers, await values.data());
    values.dispose();
    expect(tf.memory().numTensors).toBe(start);
    const a = stats[0]!;
    expect(stats.map((s) => s.layer)).toEqual(['a', 'b']);
    expect(a.gradNorm).toBeCloseTo(norm([...g['a/kernel'], ...g['a/bias']]), 6);
    expect(a.gradRms).toBeCloseTo(norm([...g['a/kernel'], ...g['a/bias']]) / Math.sqrt(6), 6);
    expect(a.weightNorm).toBeCloseTo(norm([...before['a/kernel'], ...before['a/bias']]), 5);
    expect(a.updateRatio).toBeCloseTo(norm([0.1, 0, 0, 0, 0, -0.1]) / norm([...before['a/kernel'], ...before['a/bias']]), 6);
    expect(a.nonFinite).toBe(0);
    expect(a.deadRelu).toBe(0.5);
    expect(stats[1]!.nonFinite).toBe(2);
    expect(stats[1]!.deadRelu).toBeNull();
    tf.dispose([
      out,
      ...Object.values(inspection.gradients),
      ...Object.values(inspection.weightsBefore),
      ...Object.values(inspection.weightsAfter),
    ]);
  });

  it('knows ReLU layers by their activation or layer id', () => {
    expect(hasReluOutput(fakeLayer('d', {activation: 'relu'}))).toBe(true);
    expect(hasReluOutput(fakeLayer('d', {activation: {id: 'trellis/relu6', config: {}}}))).toBe(true);
    expect(hasReluOutput(fakeLayer('d', {activation: 'sigmoid'}))).toBe(false);
    expect(hasReluOutput(fakeLayer('r', {negativeSlope: 0}, 'trellis/relu'))).toBe(true);
    expect(hasReluOutput(fakeLayer('r', {negativeSlope: 0}, 'trellis/reLU'))).toBe(true);
    expect(hasReluOutput(fakeLayer('r', {negativeSlope: 0.1}, 'trellis/reLU'))).toBe(false);
  });
});

describe('diagnose', () => {
  const layer = (name: string, over: Partial<LayerStatistics> = {}): LayerStatistics => ({
    layer: name,
    gradNorm: 1,
    gradRms: 0.01,
    weightNorm: 10,
    updateRatio: 1e-3,
    nonFinite: 0,
    deadRelu: null,
    ...over,
  });

  it('is quiet on healthy statistics', () => {
    expect(diagnose([layer('a'), layer('b'), layer('c')])).toEqual([]);
  });

  it('names the trouble, the layer and the cures', () => {
    const found = diagnose([
      layer('first', {gradRms: 1e-6, deadRelu: 0.8, updateRatio: 1e-7}),
      layer('mid', {gradNorm: 5e3, nonFinite: 3, updateRatio: 0.5}),
      layer('last', {gradRms: 0.01}),
    ]);
    expect(found.map((f) => f.trouble)).toEqual(['nonFinite', 'vanishing', 'exploding', 'deadRelu', 'updateTooSmall', 'updateTooLarge']);
    const text = (t: string) => found.find((f) => f.trouble === t)!.message;
    expect(text('vanishing')).toMatch(/'first'.*'last'.*He initialization.*batch normalization/s);
    expect(text('exploding')).toMatch(/'mid'.*clipnorm/s);
    expect(text('deadRelu')).toMatch(/80% of the units of layer 'first'.*leakyRelu/s);
    expect(text('updateTooSmall')).toMatch(/'first'.*too low/s);
    expect(text('updateTooLarge')).toMatch(/'mid'.*too high/s);
  });

  it('uses the limits given', () => {
    const stats = [layer('a', {gradRms: 5e-4}), layer('b')];
    expect(diagnose(stats).map((f) => f.trouble)).toEqual([]);
    expect(diagnose(stats, {...DEFAULT_LIMITS, vanishingRatio: 0.1}).map((f) => f.trouble)).toEqual(['vanishing']);
  });
});

describe('gradientMonitor in fit', () => {
  function data() {
    return {x: tf.randomUniform([64, 4], -1, 1, 'float32', 3), y: tf.randomUniform([64, 1], -1, 1, 'float32', 4)};
  }

  it('inspects every N-th step, logs per layer, warns once per kind, and leaks nothing', async () => {
    const model = new Sequential([dense({units: 8, activation: 'relu', inputShape: [4]}), dense({units: 1})]);
    // A huge rate: updates far above 1e-3 of the weights.
    model.compile({optimizer: sgd({learningRate: 5}), loss: meanSquaredError()});
    const printed: string[] = [];
    const monitor = gradientMonitor({every: 3, print: (m) => printed.push(m)});
    const {x, y} = data();
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, {epochs: 2, batchSize: 8, callbacks: [monitor]});
    expect(tf.memory().numTensors).toBe(before);
    expect(monitor.records.map((r) => r.step)).toEqual([0, 3, 6, 9, 12, 15]);
    expect(monitor.records[0]!.layers.map((l) => l.layer)).toEqual(['dense', 'dense_1']);
    expect(history.history['grad_norm/dense']).toHaveLength(2);
    expect(history.history['dead_relu/dense']).toHaveLength(2);
    expect(history.history['grad_norm/dense_1']).toHaveLength(2);
    expect(printed.length).toBe(new Set(printed.map((p) => p.split(':')[1])).size);
    expect(printed.some((p) => /huge updates|exploding|NaN/.test(p))).toBe(true);
    expect(monitor.warnings).toEqual(printed);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('keeps its reported kinds through saveState/loadState, and refuses bad options', () => {
    const a = gradientMonitor();
    const b = gradientMonitor();
    b.loadState!(a.saveState!());
    expect(() => b.loadState!({reported: 3})).toThrow(ConfigError);
    expect(() => gradientMonitor({every: 0})).toThrow(ConfigError);
    expect(() => gradientMonitor({every: 1.5})).toThrow(ConfigError);
    expect(() => gradientMonitor({evry: 5} as never)).toThrow(/every/);
    expect(() => gradientMonitor({limits: {updateRatio: [1, 0]}})).toThrow(ConfigError);
    expect(() => gradientMonitor({print: 'x' as never})).toThrow(ConfigError);
  });
});
