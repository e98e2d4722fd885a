/**
 * `describeOptimizer(name, factory, cases)`: the conformance suite of an
 * optimizer plugin, as a vitest `describe` block.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkOptions} from '@trellis/core';
import {beforeAll, describe, it} from 'vitest';
import {
  BAD_CONFIG_KEYS,
  CASE_KEYS,
  QUADRATIC_KEYS,
  ROSENBROCK_KEYS,
  checkBadConfig,
  checkFreezing,
  checkNoLeaks,
  checkQuadraticBowl,
  checkRosenbrock,
  checkSchedule,
  checkSpecRoundTrip,
  checkStateKeyedByName,
  checkStateRoundTrip,
  type OptimizerCases,
  type OptimizerFactory,
} from './optimizer-checks';

export type {BadOptimizerConfigs, OptimizerCases, OptimizerFactory} from './optimizer-checks';

/**
 * Declares (with vitest's `describe`/`it`) the checks every Trellis optimizer
 * must pass, on the cpu backend (the test file imports
 * `@tensorflow/tfjs-backend-cpu`):
 *
 * - converges on a quadratic bowl and on Rosenbrock's function;
 * - `getState()` after k steps, `setState()` into a fresh optimizer and the
 *   remaining steps give bit-identical variables and state;
 * - slots are keyed by variable name;
 * - a variable without a gradient keeps its value and slots, the others
 *   are unaffected, and unfreezing continues from the kept slots;
 * - no tensor leak across steps, `getState`/`setState` and `dispose()`;
 * - a schedule as `learningRate` is called with 0, 1, 2, ... and changes the update;
 * - the spec survives JSON and `registry.resolve('optimizer', spec)` with
 *   `cases.plugin`, giving an equal spec and bit-identical training;
 * - each config in `cases.badConfigs` throws a `ConfigError` (a test per key given).
 *
 * An unknown key in `cases`, `cases.badConfigs`, `cases.quadratic` or
 * `cases.rosenbrock` throws a `ConfigError` naming the key it most likely
 * meant, before anything is declared (a misspelled key would otherwise skip
 * its check silently).
 *
 * Each check runs `StatefulOptimizer` from `@trellis/core` on variables it
 * creates and disposes; the gradients are computed in float64 on the host.
 * The freezing check assumes a variable's update does not depend on other
 * variables' gradients (no global clipping in `cases.options`).
 *
 * @param name - the describe block's title (`'adam'`).
 * @param factory - builds the optimizer from options: `adam`, or `(o) => myOptimizer(o)`.
 * @param cases - options, plugin, bad configs and the tuning of the convergence checks.
 *
 * @example
 * describeOptimizer('adam', adam, {
 *   options: {learningRate: 0.05},
 *   plugin: optimizersPlugin,
 *   badConfigs: {negativeLearningRate: {learningRate: -1}, betaAboveOne: {beta1: 1.5}, zeroEpsilon: {epsilon: 0}},
 *   rosenbrock: {options: {learningRate: 0.02}},
 * });
 */
export function describeOptimizer<O extends object>(name: string, factory: OptimizerFactory<O>, cases: OptimizerCases<NoInfer<O>>): void {
  checkOptions('describeOptimizer', cases, CASE_KEYS);
  checkOptions('describeOptimizer cases.badConfigs', cases.badConfigs, BAD_CONFIG_KEYS);
  checkOptions('describeOptimizer cases.quadratic', cases.quadratic, QUADRATIC_KEYS);
  checkOptions('describeOptimizer cases.rosenbrock', cases.rosenbrock, ROSENBROCK_KEYS);
  describe(`${name} (optimizer conformance)`, () => {
    beforeAll(async () => {
      if (!(await tf.setBackend('cpu'))) {
        throw new Error("describeOptimizer runs on the cpu backend: import '@tensorflow/tfjs-backend-cpu' in the test file.");
      }
    });

    it('converges on a quadratic bowl', () => checkQuadraticBowl(factory, cases));
    it('converges on Rosenbrock from (-1.2, 1)', () => checkRosenbrock(factory, cases));
    it('continues bit-identically after getState/setState into a fresh optimizer', () => checkStateRoundTrip(factory, cases));
    it('keys its state by variable name', () => checkStateKeyedByName(factory, cases));
    it('keeps the slots of a frozen variable and continues from them', () => checkFreezing(factory, cases));
    it('leaks no tensor', () => checkNoLeaks(factory, cases));
    it('takes a schedule as learningRate, called with 0, 1, 2, ...', () => checkSchedule(factory, cases));
    it('round-trips its spec through JSON and a registry with its plugin', () => checkSpecRoundTrip(factory, cases));
    for (const key of BAD_CONFIG_KEYS) {
      if (cases.badConfigs[key] !== undefined) {
        it(`throws a ConfigError for ${key}`, () => checkBadConfig(factory, cases, key));
      }
    }
  });
}
