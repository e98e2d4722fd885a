import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, UnknownIdError, createRegistry, withSpec} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {trainOurs} from '../test/train';
import {adam} from './adam';
import {optimizersPlugin} from './plugin';
import {sgd} from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimizersPlugin', () => {
  const registry = createRegistry(optimizersPlugin);

  it('registers every optimizer of the package', () => {
    // Every optimizer of the package is registered under trellis/<name>.
    expect(registry.ids('optimizer')).toEqual(
      expect.arrayContaining(
        ['adadelta', 'adagrad', 'adam', 'adamax', 'adamw', 'lamb', 'lion', 'nadam', 'rmsprop', 'sgd'].map((name) => `trellis/${name}`),
      ),
    );
  });

  it.each([
    ['sgd', sgd({learningRate: 0.05, momentum: 0.9, nesterov: true})],
    ['sgd plain', sgd()],
    ['adam', adam({learningRate: 0.02, beta1: 0.85, beta2: 0.99, epsilon: 1e-4})],
  ])('%s round-trips through its JSON spec and trains identically', (_, opt) => {
    const json = JSON.parse(JSON.stringify(opt.spec));
    const rebuilt = registry.resolve('optimizer', json);
    expect(rebuilt.spec).toEqual(opt.spec);
    expect(trainOurs(rebuilt, 8)).toEqual(trainOurs(opt, 8));
  });

  it('resolves bare names and ids with Keras defaults', () => {
    expect(registry.resolve('optimizer', 'adam').spec).toEqual(adam().spec);
    expect(registry.resolve('optimizer', 'trellis/sgd', {momentum: 0.5}).spec.config).toEqual({
      learningRate: 0.01,
      momentum: 0.5,
      nesterov: false,
    });
    expect(registry.resolve('optimizer', {id: 'trellis/sgd', config: null}).spec).toEqual(sgd().spec);
  });

  it('refuses a schedule spec as learningRate, pointing to @trellis/schedules', () => {
    const lr = withSpec({id: 'trellis/exponentialDecay', config: {initialLearningRate: 0.1}}, (s: number) => 0.1 * 0.9 ** s);
    const spec = JSON.parse(JSON.stringify(adam({learningRate: lr}).spec));
    expect(spec.config.learningRate).toEqual({id: 'trellis/exponentialDecay', config: {initialLearningRate: 0.1}});
    expect(() => registry.resolve('optimizer', spec)).toThrow(ConfigError);
    expect(() => registry.resolve('optimizer', spec)).toThrow(
      /learningRate is the schedule spec 'trellis\/exponentialDecay'.*@trellis\/schedules/,
    );
  });

  it('rejects bad configs and unknown ids with typed errors', () => {
    expect(() => registry.resolve('optimizer', {id: 'trellis/adam', config: {beta1: 2}})).toThrow(ConfigError);
    expect(() => registry.resolve('optimizer', {id: 'trellis/adam', config: 5})).toThrow(/adam expects an options object/);
    expect(() => registry.resolve('optimizer', 'acme/lion')).toThrow(UnknownIdError);
  });
});
