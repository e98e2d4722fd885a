import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, DTypeError, setSeed, type Initializer} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  TRUNCATED_NORMAL_STDDEV,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
} from './index';

beforeAll(() => tf.setBackend('cpu'));

/**
 * Moments of the distribution an initializer draws from: mean, variance, fourth central
 * moment (for the standard error of the sample variance) and the support bounds if any.
 */
type Moments = {mean: number; variance: number; fourth: number; bounds?: [number, number]};

const C2 = TRUNCATED_NORMAL_STDDEV ** 2;
const normal = (mean: number, sd: number): Moments => ({mean, variance: sd * sd, fourth: 3 * sd ** 4});
const uniform = (a: number, b: number): Moments => ({
  mean: (a + b) / 2,
  variance: (b - a) ** 2 / 12,
  fourth: (b - a) ** 4 / 80,
  bounds: [a, b],
});
/**
 * N(mean, sd²) truncated at ±2sd: variance c²·sd² with c = 0.87962566…, and (from the moment
 * recurrence of the truncated normal) a fourth central moment of (7c² - 4)·sd⁴.
 */
const truncated = (mean: number, sd: number): Moments => ({
  mean,
  variance: C2 * sd * sd,
  fourth: (7 * C2 - 4) * sd ** 4,
  bounds: [mean - 2 * sd, mean + 2 * sd],
});

/** 200,000 draws: a [400, 500] kernel, so fanIn = 400, fanOut = 500, fanAvg = 450. */
const SHAPE = [400, 500];
const N = 200_000;
/** Allowed distance in standard errors of the sample mean and of the sample variance. */
const STANDARD_ERRORS = 5;

const cases: [string, Initializer, Moments][] = [
  ['randomNormal defaults', randomNormal({seed: 1}), normal(0, 0.05)],
  ['randomNormal {mean 2, stddev 3}', randomNormal({mean: 2, stddev: 3, seed: 2}), normal(2, 3)],
  ['randomUniform defaults', randomUniform({seed: 3}), uniform(-0.05, 0.05)],
  ['randomUniform {-1, 3}', randomUniform({minval: -1, maxval: 3, seed: 4}), uniform(-1, 3)],
  ['truncatedNormal defaults', truncatedNormal({seed: 5}), truncated(0, 0.05)],
  ['truncatedNormal {mean 1, stddev 2}', truncatedNormal({mean: 1, stddev: 2, seed: 6}), truncated(1, 2)],
  ['varianceScaling defaults', varianceScaling({seed: 7}), truncated(0, Math.sqrt(1 / 400) / TRUNCATED_NORMAL_STDDEV)],
  [
    'varianceScaling {3, fanOut, untruncatedNormal}',
    varianceScaling({scale: 3, mode: 'fanOut', distribution: 'untruncatedNormal', seed: 8}),
    normal(0, Math.sqrt(3 / 500)),
  ],
  [
    'varianceScaling {0.5, fanAvg, uniform}',
    varianceScaling({scale: 0.5, mode: 'fanAvg', distribution: 'uniform', seed: 9}),
    uniform(-Math.sqrt(1.5 / 450), Math.sqrt(1.5 / 450)),
  ],
  ['glorotNormal', glorotNormal({seed: 10}), truncated(0, Math.sqrt(2 / 900) / TRUNCATED_NORMAL_STDDEV)],
  ['glorotUniform', glorotUniform({seed: 11}), uniform(-Math.sqrt(6 / 900), Math.sqrt(6 / 900))],
  ['heNormal', heNormal({seed: 12}), truncated(0, Math.sqrt(2 / 400) / TRUNCATED_NORMAL_STDDEV)],
  ['heUniform', heUniform({seed: 13}), uniform(-Math.sqrt(6 / 400), Math.sqrt(6 / 400))],
  ['lecunNormal', lecunNormal({seed: 14}), truncated(0, Math.sqrt(1 / 400) / TRUNCATED_NORMAL_STDDEV)],
  ['lecunUniform', lecunUniform({seed: 15}), uniform(-Math.sqrt(3 / 400), Math.sqrt(3 / 400))],
];

describe('random initializers: 200,000 draws', () => {
  it.each(cases)('%s: mean and variance within 5 standard errors, bounds hold', (_name, init, m) => {
    const t = init(SHAPE, 'float32');
    expect(t.shape).toEqual(SHAPE);
    expect(t.dtype).toBe('float32');
    const values = t.dataSync();
    t.dispose();
    expect(values.length).toBe(N);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const mean = sum / N;
    let squares = 0;
    for (const v of values) squares += (v - mean) ** 2;
    const variance = squares / (N - 1);
    // Standard error of the mean: sqrt(σ²/n); of the sample variance: sqrt((μ₄ - σ⁴)/n).
    const meanError = Math.sqrt(m.variance / N);
    const varianceError = Math.sqrt((m.fourth - m.variance ** 2) / N);
    expect(Math.abs(mean - m.mean)).toBeLessThan(STANDARD_ERRORS * meanError);
    expect(Math.abs(variance - m.variance)).toBeLessThan(STANDARD_ERRORS * varianceError);
    if (m.bounds) {
      // float32 rounding of the bounds themselves is allowed.
      const slack = 1e-6 * Math.max(1, Math.abs(m.bounds[0]), Math.abs(m.bounds[1]));
      expect(min).toBeGreaterThanOrEqual(m.bounds[0] - slack);
      expect(max).toBeLessThanOrEqual(m.bounds[1] + slack);
      // The draws reach close to both bounds (they are the support, not a loose envelope).
      const width = m.bounds[1] - m.bounds[0];
      expect(min).toBeLessThan(m.bounds[0] + 0.01 * width);
      expect(max).toBeGreaterThan(m.bounds[1] - 0.01 * width);
    }
  });

  it('fans of a conv kernel set the scale: heNormal on [3, 3, 16, 32] has variance 2 / 144', () => {
    const t = heNormal({seed: 16})([3, 3, 16, 32], 'float32');
    const values = t.dataSync();
    t.dispose();
    let squares = 0;
    for (const v of values) squares += v * v;
    const n = values.length;
    const expected = 2 / 144;
    const error = Math.sqrt((((7 * C2 - 4) / C2 ** 2 - 1) * expected ** 2) / n);
    expect(Math.abs(squares / n - expected)).toBeLessThan(STANDARD_ERRORS * error);
  });
});

const seededFactories: [string, (seed?: number) => Initializer][] = [
  ['randomNormal', (seed) => randomNormal({seed})],
  ['randomUniform', (seed) => randomUniform({seed})],
  ['truncatedNormal', (seed) => truncatedNormal({seed})],
  ['varianceScaling', (seed) => varianceScaling({seed})],
  ['glorotNormal', (seed) => glorotNormal({seed})],
  ['glorotUniform', (seed) => glorotUniform({seed})],
  ['heNormal', (seed) => heNormal({seed})],
  ['heUniform', (seed) => heUniform({seed})],
  ['lecunNormal', (seed) => lecunNormal({seed})],
  ['lecunUniform', (seed) => lecunUniform({seed})],
];

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('random initializers: seeds', () => {
  it.each(seededFactories)('%s: config seed, then call seed, then setSeed', (_name, make) => {
    expect(read(make(5)([4, 4], 'float32'))).toEqual(read(make(5)([4, 4], 'float32', 9)));
    expect(read(make(5)([4, 4], 'float32'))).not.toEqual(read(make(6)([4, 4], 'float32')));
    expect(read(make()([4, 4], 'float32', 9))).toEqual(read(make()([4, 4], 'float32', 9)));
    expect(read(make()([4, 4], 'float32', 9))).not.toEqual(read(make()([4, 4], 'float32', 10)));
    setSeed(42);
    const a = read(make()([4, 4], 'float32'));
    setSeed(42);
    expect(read(make()([4, 4], 'float32'))).toEqual(a);
  });

  it.each(seededFactories)('%s: rejects bad seeds and int32 without leaking', async (_name, make) => {
    expect(() => make(-1)).toThrow(ConfigError);
    expect(() => make(1.5)).toThrow(/seed must be a non-negative integer; got 1.5/);
    await expectNoNewTensors(() => make(1)([2, 2], 'int32'));
    expect(() => make(1)([2, 2], 'int32')).toThrow(DTypeError);
    await expectNoTensorLeaks(() => make(1)([8, 8], 'float32').dispose());
  });
});

describe('random initializers: bad config', () => {
  it('names the parameter', () => {
    expect(() => randomNormal({stddev: 0})).toThrow(ConfigError);
    expect(() => randomNormal({stddev: -1})).toThrow(/randomNormal: stddev must be a positive finite number; got -1/);
    expect(() => randomNormal({mean: Number.NaN})).toThrow(/randomNormal: mean must be a finite number/);
    expect(() => truncatedNormal({stddev: 0})).toThrow(/truncatedNormal: stddev must be a positive/);
    expect(() => randomUniform({minval: 1, maxval: 1})).toThrow(/randomUniform: maxval must be greater than minval/);
    expect(() => varianceScaling({scale: 0})).toThrow(/varianceScaling: scale must be a positive finite number; got 0/);
    expect(() => varianceScaling({scale: -2})).toThrow(ConfigError);
    expect(() => varianceScaling({mode: 'fan_in' as never})).toThrow(
      /varianceScaling: mode must be one of 'fanIn', 'fanOut', 'fanAvg'; got 'fan_in'/,
    );
    expect(() => varianceScaling({distribution: 'normal' as never})).toThrow(
      /varianceScaling: distribution must be one of 'truncatedNormal', 'untruncatedNormal', 'uniform'; got 'normal'/,
    );
  });

  it('fills the defaults into the spec, and keeps only an explicit seed', () => {
    expect(randomNormal().spec).toEqual({id: 'trellis/randomNormal', config: {mean: 0, stddev: 0.05}});
    expect(randomUniform().spec).toEqual({id: 'trellis/randomUniform', config: {minval: -0.05, maxval: 0.05}});
    expect(truncatedNormal({seed: 3}).spec).toEqual({id: 'trellis/truncatedNormal', config: {mean: 0, stddev: 0.05, seed: 3}});
    expect(varianceScaling().spec).toEqual({
      id: 'trellis/varianceScaling',
      config: {scale: 1, mode: 'fanIn', distribution: 'truncatedNormal'},
    });
    expect(heUniform().spec).toEqual({id: 'trellis/heUniform', config: {}});
  });
});
