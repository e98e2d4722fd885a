import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {chain} from './chain';
import {defineOptimizer} from './define-optimizer';
import {scale} from './scale';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const damped = defineOptimizer({
  id: 'test/damped',
  name: 'damped',
  learningRate: 0.1,
  options: {factor: {default: 0.5, min: 0, max: 1, maxInclusive: true}, flip: {default: false}},
  build: ({factor, flip}, learningRate) => chain(scale(flip ? -factor : factor), scaleByLearningRate(learningRate)),
});

describe('defineOptimizer', () => {
  it('fills in the defaults, builds the spec and exposes learningRate and its name', () => {
    expect(damped.name).toBe('damped');
    expect(damped().spec).toEqual({id: 'test/damped', config: {learningRate: 0.1, factor: 0.5, flip: false}});
    expect(damped({factor: 1, clipNorm: 2}).spec.config).toEqual({learningRate: 0.1, factor: 1, flip: false, clipNorm: 2});
    expect(damped({learningRate: 0.3}).learningRate).toBe(0.3);
  });

  it('refuses unknown options, a bad learning rate and declared options out of range or of the wrong type', () => {
    expect(() => damped({factr: 1} as never)).toThrow(/damped does not know the option 'factr' \(did you mean 'factor'\?\)/);
    expect(() => damped({learningRate: -1})).toThrow(ConfigError);
    expect(() => damped({factor: 1.5})).toThrow(/damped: factor must be a finite number in \[0, 1\]; got 1.5/);
    expect(() => damped({flip: 'yes' as never})).toThrow(/damped: flip must be true or false/);
  });

  it('updates with the transform build returns', () => {
    const opt = damped({learningRate: 0.5});
    const params = {w: tf.ones([2])};
    const state = opt.init(params);
    const g = {w: tf.tensor([2, 4])};
    const r = opt.update(g, state, params);
    expect(Array.from(r.updates.w!.dataSync())).toEqual([-0.5, -1]);
    tf.dispose([params.w, g.w, r.updates.w!]);
  });

  it('refuses a bad definition', () => {
    const build = () => scale(1);
    const base = {id: 'test/x', name: 'x', learningRate: 0.1, options: {}, build};
    expect(() => defineOptimizer({...base, id: 'x'})).toThrow(/defineOptimizer: id must be a namespaced id/);
    expect(() => defineOptimizer({...base, learningRate: 0})).toThrow(/x: the default learningRate must be a finite number > 0/);
    expect(() => defineOptimizer({...base, options: {beta: {default: 2, min: 0, max: 1}}})).toThrow(
      /x: the default beta must be a finite number in \[0, 1\)/,
    );
    expect(() => defineOptimizer({...base, options: {clipNorm: {default: 1}}})).toThrow(/option 'clipNorm' is a common option/);
    expect(() => defineOptimizer({...base, build: undefined as never})).toThrow(/defineOptimizer: build must be a function/);
  });
});
