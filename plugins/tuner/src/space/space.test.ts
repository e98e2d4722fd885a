// The search space: Keras Tuner's value mapping, log sampling, grids, conditional scopes and bad input.
import {ConfigError, createRng} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {HyperParameters} from './hyperparameters';
import {gridValues, probToValue, valueToProb, type HyperParameter} from './hyperparameter';
import {discoverSpace} from './discover';
import {randomValues} from './values';

const only = (declare: (hp: HyperParameters) => unknown): HyperParameter => {
  const hp = new HyperParameters();
  declare(hp);
  return hp.space[0]!;
};

describe('hp values', () => {
  it('returns defaults while declaring, and the trial values afterwards', () => {
    const hp = new HyperParameters();
    expect(hp.int('units', {min: 32, max: 512, step: 32})).toBe(32);
    expect(hp.float('lr', {min: 1e-4, max: 1e-1, sampling: 'log', default: 1e-3})).toBe(1e-3);
    expect(hp.choice('act', ['relu', 'tanh'])).toBe('relu');
    expect(hp.boolean('bn')).toBe(false);
    expect(hp.fixed('epochs', 5)).toBe(5);
    const trial = new HyperParameters({space: hp.space, values: {units: 256, lr: 0.01, act: 'tanh', bn: true, epochs: 5}});
    expect([trial.int('units', {min: 32, max: 512, step: 32}), trial.get('lr'), trial.choice('act', ['relu', 'tanh'])]).toEqual([
      256,
      0.01,
      'tanh',
    ]);
    expect(() => trial.get('nope')).toThrow(/No hyperparameter 'nope'; declared: units, lr, act, bn, epochs/);
  });

  it('maps values to the unit interval and back as Keras Tuner does', () => {
    const units = only((hp) => hp.int('units', {min: 32, max: 512, step: 32}));
    // 16 values, prob p picks cell floor(16p): Keras Tuner's prob_to_index.
    expect([0, 0.0624, 0.0626, 0.5, 0.999].map((p) => probToValue(units, p))).toEqual([32, 32, 64, 288, 512]);
    expect(valueToProb(units, 288)).toBeCloseTo(8.5 / 16, 12);
    const lr = only((hp) => hp.float('lr', {min: 1e-4, max: 1e-1, sampling: 'log'}));
    expect(probToValue(lr, 0.5)).toBeCloseTo(10 ** -2.5, 15);
    expect(valueToProb(lr, 1e-3)).toBeCloseTo(1 / 3, 12);
    const reverse = only((hp) => hp.float('m', {min: 0.1, max: 0.999, sampling: 'reverse_log'}));
    // reverse_log: max + min − min · (max/min)^(1−p)
    expect(probToValue(reverse, 0.25)).toBeCloseTo(0.999 + 0.1 - 0.1 * (0.999 / 0.1) ** 0.75, 12);
    expect(valueToProb(reverse, probToValue(reverse, 0.25) as number)).toBeCloseTo(0.25, 12);
    const layers = only((hp) => hp.int('layers', {min: 1, max: 3}));
    expect([0, 0.34, 0.67, 0.9999].map((p) => probToValue(layers, p))).toEqual([1, 2, 3, 3]);
    const dropout = only((hp) => hp.float('dropout', {min: 0, max: 0.5, step: 0.1}));
    expect(gridValues(dropout)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    const logStep = only((hp) => hp.int('batch', {min: 2, max: 32, step: 2, sampling: 'log'}));
    expect(gridValues(logStep)).toEqual([2, 4, 8, 16, 32]);
    expect(gridValues(only((hp) => hp.boolean('b')))).toEqual([false, true]);
    expect(gridValues(only((hp) => hp.choice('c', [3, 1, 2], {default: 1})))).toEqual([1, 3, 2]);
    expect(gridValues(only((hp) => hp.float('f', {min: 0, max: 1})))).toEqual([
      0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95,
    ]);
  });

  it("draws hp.float(..., {sampling: 'log'}) uniformly in log space: Kolmogorov–Smirnov over 10,000 draws", () => {
    const space = [only((hp) => hp.float('lr', {min: 1e-4, max: 1e-1, sampling: 'log'}))];
    const rng = createRng(2026);
    const n = 10_000;
    const u = Array.from({length: n}, () => (Math.log10(randomValues(space, rng).lr as number) + 4) / 3).sort((a, b) => a - b);
    let d = 0;
    u.forEach((v, i) => (d = Math.max(d, (i + 1) / n - v, v - i / n)));
    const critical = 1.358 / Math.sqrt(n); // α = 0.05
    console.log(`KS statistic D = ${d.toFixed(5)} for ${n} log draws; critical value at α = 0.05: ${critical.toFixed(5)}`);
    expect(d).toBeLessThan(critical);
    // The same draws are far from uniform in linear space.
    const linear = u.map((v) => (10 ** (3 * v - 4) - 1e-4) / (1e-1 - 1e-4));
    let dLinear = 0;
    [...linear].sort((a, b) => a - b).forEach((v, i) => (dLinear = Math.max(dLinear, (i + 1) / n - v, v - i / n)));
    expect(dLinear).toBeGreaterThan(0.5);
  });
});

describe('conditional scopes', () => {
  const build = (hp: HyperParameters) => {
    const kind = hp.choice('model', ['mlp', 'cnn']);
    const units = hp.conditionalScope('model', 'mlp', () => hp.int('units', {min: 8, max: 64, step: 8}));
    const filters = hp.conditionalScope('model', ['cnn'], () => {
      const f = hp.int('filters', {min: 4, max: 16, step: 4});
      hp.conditionalScope('filters', [16], () => hp.boolean('wide'));
      return f;
    });
    return {kind, units, filters};
  };

  it('runs a scope only when its condition holds; values hold only active hyperparameters', () => {
    const hp = new HyperParameters();
    expect(build(hp)).toEqual({kind: 'mlp', units: 8, filters: undefined});
    expect(hp.values).toEqual({model: 'mlp', units: 8});
    expect(() => new HyperParameters({space: hp.space, values: {model: 'mlp'}}).get('filters')).toThrow(/No hyperparameter 'filters'/);
  });

  it('discovers every scope by building with its condition met (nested ones too)', async () => {
    const space = await discoverSpace([], build, () => {});
    expect(space.map((h) => h.name)).toEqual(['model', 'units', 'filters', 'wide']);
    expect(space[3]!.conditions).toEqual([
      {name: 'model', values: ['cnn']},
      {name: 'filters', values: [16]},
    ]);
  });

  it('refuses a scope on an undeclared parent', () => {
    expect(() => new HyperParameters().conditionalScope('model', 'mlp', () => 1)).toThrow(ConfigError);
  });
});

describe('bad input is a ConfigError that says what to do', () => {
  const cases: [string, (hp: HyperParameters) => unknown, RegExp][] = [
    ['an empty range', (hp) => hp.float('lr', {min: 0.1, max: 0.1}), /the range \[0.1, 0.1\] is empty.*hp\.fixed\('lr', 0\.1\)/],
    ['an empty choice', (hp) => hp.choice('act', []), /needs a non-empty array of values/],
    ['min > max', (hp) => hp.int('units', {min: 64, max: 32}), /min \(64\) is greater than max \(32\); swap them/],
    ['log with min = 0', (hp) => hp.float('lr', {min: 0, max: 1, sampling: 'log'}), /sampling 'log' needs min > 0.*got min 0/],
    ['log with min < 0', (hp) => hp.int('n', {min: -2, max: 8, sampling: 'reverse_log'}), /sampling 'reverse_log' needs min > 0/],
    [
      'a log step <= 1',
      (hp) => hp.float('lr', {min: 1e-4, max: 1, sampling: 'log', step: 1}),
      /step is a ratio between values and must be > 1/,
    ],
    ['a fractional int bound', (hp) => hp.int('units', {min: 1.5, max: 8}), /min must be an integer/],
    ['a default outside the range', (hp) => hp.int('units', {min: 1, max: 8, default: 9}), /default must be a number in \[1, 8\]/],
    ['mixed choice types', (hp) => hp.choice('c', [1, 'a'] as never), /all be of one type/],
    ['an unknown option', (hp) => hp.int('units', {min: 1, max: 8, stepp: 2} as never), /'stepp' \(did you mean 'step'\?\)/],
    ['a missing name', (hp) => hp.int('' as never, {min: 1, max: 2}), /expects a hyperparameter name/],
    [
      'a duplicate name with another type',
      (hp) => {
        hp.int('units', {min: 1, max: 8});
        hp.float('units', {min: 1, max: 8});
      },
      /'units' is already declared as int 'units' in \[1, 8\] step 1; it cannot also be float 'units' in \[1, 8\]/,
    ],
    [
      'a duplicate name with another range',
      (hp) => {
        hp.int('units', {min: 1, max: 8});
        hp.int('units', {min: 1, max: 16});
      },
      /already declared as int 'units' in \[1, 8\].*declared again as int 'units' in \[1, 16\]/,
    ],
  ];
  it.each(cases)('%s', (_, declare, message) => {
    const hp = new HyperParameters();
    let error: unknown;
    try {
      declare(hp);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
