import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {oneCycle} from './one-cycle';

/** PyTorch `OneCycleLR.get_lr` (cos annealing, two phases) transcribed in float64, for step_num <= total_steps − 1. */
function torchOneCycle(maxLr: number, totalSteps: number, pctStart: number, divFactor: number, finalDivFactor: number) {
  const initialLr = maxLr / divFactor;
  const minLr = initialLr / finalDivFactor;
  const phases = [
    {endStep: pctStart * totalSteps - 1, startLr: initialLr, endLr: maxLr},
    {endStep: totalSteps - 1, startLr: maxLr, endLr: minLr},
  ];
  const annealingCos = (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  return (stepNum: number) => {
    let startStep = 0;
    for (let i = 0; i < phases.length; i++) {
      const {endStep, startLr, endLr} = phases[i]!;
      if (stepNum <= endStep || i === phases.length - 1) {
        return annealingCos(startLr, endLr, (stepNum - startStep) / (endStep - startStep));
      }
      startStep = endStep;
    }
    throw new Error('unreachable');
  };
}

describe('oneCycle', () => {
  it('rises from max / divFactor to max over pctStart of the steps, then falls to start / finalDivFactor', () => {
    const s = oneCycle({maxLearningRate: 0.1, totalSteps: 100});
    expectValues(s, [
      [0, 0.004],
      [14.5, (0.004 + 0.1) / 2],
      [29, 0.1],
      [64, (0.1 + 4e-7) / 2],
      [99, 4e-7],
    ]);
  });

  it.each([
    [0.1, 100, 0.3, 25, 1e4],
    [0.01, 37, 0.25, 10, 100],
    [3e-3, 1000, 0.45, 25, 1e4],
    [1, 10, 0.5, 4, 2],
  ])(
    'matches PyTorch OneCycleLR at every step (max %s, totalSteps %s, pctStart %s, divFactor %s, finalDivFactor %s)',
    (max, total, pct, div, finalDiv) => {
      const s = oneCycle({maxLearningRate: max, totalSteps: total, pctStart: pct, divFactor: div, finalDivFactor: finalDiv});
      const torch = torchOneCycle(max, total, pct, div, finalDiv);
      for (let step = 0; step < total; step++) expectValues(s, [[step, torch(step)]]);
    },
  );

  it('stays at the final value after totalSteps − 1 (PyTorch refuses to step further)', () => {
    const s = oneCycle({maxLearningRate: 0.1, totalSteps: 100, finalDivFactor: 100});
    expectValues(s, [
      [99, 4e-5],
      [100, 4e-5],
      [5000, 4e-5],
    ]);
  });

  it('fills in the PyTorch defaults in its spec', () => {
    expect(oneCycle({maxLearningRate: 0.1, totalSteps: 100}).spec).toEqual({
      id: 'trellis/oneCycle',
      config: {maxLearningRate: 0.1, totalSteps: 100, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4},
    });
  });

  it.each([
    [{totalSteps: 100}, /oneCycle: maxLearningRate is required \(a finite number > 0\)/],
    [{maxLearningRate: 0, totalSteps: 100}, /maxLearningRate must be a finite number > 0; got 0/],
    [{maxLearningRate: 0.1, totalSteps: 10.5}, /totalSteps must be an integer >= 2; got 10.5/],
    [{maxLearningRate: 0.1, totalSteps: 100, pctStart: 0}, /pctStart must be a finite number in \(0, 1\); got 0/],
    [{maxLearningRate: 0.1, totalSteps: 100, pctStart: 1}, /pctStart must be a finite number in \(0, 1\); got 1/],
    [
      {maxLearningRate: 0.1, totalSteps: 3, pctStart: 0.3},
      /the rising phase is empty: pctStart · totalSteps − 1 = -0.1.* Raise pctStart or totalSteps/,
    ],
    [{maxLearningRate: 0.1, totalSteps: 100, divFactor: 0}, /divFactor must be a finite number > 0/],
    [{maxLearningRate: 0.1, totalSteps: 100, finalDivFactor: -1}, /finalDivFactor must be a finite number > 0/],
    [{maxLearningRate: 0.1, totalSteps: 100, max_lr: 0.1}, /does not know the option 'max_lr'/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => oneCycle(options as never)).toThrow(ConfigError);
    expect(() => oneCycle(options as never)).toThrow(message);
  });
});
