import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {cosineDecay} from './cosine-decay';

describe('cosineDecay', () => {
  it('follows half a cosine from initialLearningRate to alpha times it, then stays', () => {
    const s = cosineDecay({initialLearningRate: 0.2, decaySteps: 100});
    expectValues(s, [
      [0, 0.2],
      [25, 0.1 * (1 + Math.SQRT1_2)],
      [50, 0.1],
      [100, 0],
      [150, 0],
    ]);
    const floor = cosineDecay({initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1});
    expectValues(floor, [
      [0, 0.2],
      [50, 0.2 * (0.9 * 0.5 + 0.1)],
      [100, 0.02],
      [300, 0.02],
    ]);
  });

  it('warms up linearly from initialLearningRate to warmupTarget, then decays from warmupTarget', () => {
    const s = cosineDecay({initialLearningRate: 0.01, decaySteps: 100, alpha: 0.1, warmupTarget: 0.11, warmupSteps: 10});
    expectValues(s, [
      [0, 0.01],
      [5, 0.06],
      [9, 0.1],
      [10, 0.11],
      [60, 0.11 * (0.9 * 0.5 + 0.1)],
      [110, 0.011],
      [1000, 0.011],
    ]);
  });

  it('ignores warmupSteps without warmupTarget, and decays from warmupTarget at once when warmupSteps is 0 (Keras)', () => {
    expectValues(cosineDecay({initialLearningRate: 0.2, decaySteps: 100, warmupSteps: 50}), [[50, 0.1]]);
    expectValues(cosineDecay({initialLearningRate: 0.2, decaySteps: 100, warmupTarget: 0.4}), [
      [0, 0.4],
      [50, 0.2],
    ]);
  });

  it('stores warmupTarget null and the Keras defaults in its spec', () => {
    expect(cosineDecay({initialLearningRate: 0.1, decaySteps: 1000}).spec).toEqual({
      id: 'trellis/cosineDecay',
      config: {initialLearningRate: 0.1, decaySteps: 1000, alpha: 0, warmupTarget: null, warmupSteps: 0},
    });
  });

  it.each([
    [{initialLearningRate: 0.1}, /cosineDecay: decaySteps is required/],
    [{initialLearningRate: 0.1, decaySteps: 10, alpha: 1.5}, /alpha must be a finite number in \[0, 1\]; got 1.5/],
    [{initialLearningRate: 0.1, decaySteps: 10, warmupTarget: -1}, /warmupTarget must be a finite number >= 0; got -1/],
    [{initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 0.2, warmupSteps: -5}, /warmupSteps must be a finite number >= 0/],
    [{initialLearningRate: 0.1, decaySteps: 10, warmup_steps: 5}, /does not know the option 'warmup_steps'/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => cosineDecay(options as never)).toThrow(ConfigError);
    expect(() => cosineDecay(options as never)).toThrow(message);
  });
});
