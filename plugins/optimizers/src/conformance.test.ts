// Every named optimizer of this package through the conformance suite of
// @trellis/testing (describeOptimizer): convergence, state round trip,
// freezing, leaks, schedules, spec round trip and bad configs.
import '@tensorflow/tfjs-backend-cpu';
import {describeOptimizer} from '@trellis/testing';
import {adadelta} from './adadelta';
import {adagrad} from './adagrad';
import {adam} from './adam';
import {adamax} from './adamax';
import {adamw} from './adamw';
import {lamb} from './lamb';
import {lion} from './lion';
import {nadam} from './nadam';
import {optimizersPlugin as plugin} from './plugin';
import {rmsprop} from './rmsprop';
import {sgd} from './sgd';

const negativeLearningRate = {learningRate: -0.01};
const zeroEpsilon = {epsilon: 0};
const betaAboveOne = {beta1: 1.5};

/**
 * The cases of an optimizer with Adam's betas and epsilon: `learningRate` for
 * the quadratic bowl, `rosenbrockLearningRate` (and `rosenbrockSteps` when
 * given) for Rosenbrock.
 */
const adamFamily = (learningRate: number, rosenbrockLearningRate: number, rosenbrockSteps?: number) => ({
  options: {learningRate},
  plugin,
  badConfigs: {negativeLearningRate, betaAboveOne, zeroEpsilon},
  rosenbrock: {options: {learningRate: rosenbrockLearningRate}, ...(rosenbrockSteps === undefined ? {} : {steps: rosenbrockSteps})},
});

// One line per optimizer: options (with a learning rate that suits the
// quadratic bowl), the bad configs that apply, and the Rosenbrock tuning.
describeOptimizer('sgd', sgd, {
  options: {learningRate: 0.1, momentum: 0.9},
  plugin,
  badConfigs: {negativeLearningRate, betaAboveOne: {momentum: 1.5}},
  rosenbrock: {options: {learningRate: 1e-3}},
});
describeOptimizer('adam', adam, adamFamily(0.05, 0.03));
// Common options whose steps stay per variable and per step (global clipping couples variables,
// accumulation calls a schedule at the raw step, an EMA overwrite slows convergence: tested in common-options.test.ts).
describeOptimizer('adam with clipNorm and weightDecay', adam, {
  options: {learningRate: 0.05, clipNorm: 1, weightDecay: 1e-3},
  plugin,
  badConfigs: {negativeLearningRate, betaAboveOne, zeroEpsilon},
  rosenbrock: {options: {learningRate: 0.03, clipNorm: 1, weightDecay: 1e-3}},
});
describeOptimizer('sgd with clipValue and useEma', sgd, {
  options: {learningRate: 0.1, momentum: 0.9, clipValue: 1, useEma: true},
  plugin,
  badConfigs: {negativeLearningRate, betaAboveOne: {momentum: 1.5}},
  rosenbrock: {options: {learningRate: 1e-3, clipValue: 1, useEma: true}},
});
describeOptimizer('rmsprop', rmsprop, {
  options: {learningRate: 0.01},
  plugin,
  badConfigs: {negativeLearningRate, betaAboveOne: {rho: 1.5}, zeroEpsilon},
  rosenbrock: {options: {learningRate: 3e-3}},
});
describeOptimizer('adagrad', adagrad, {options: {learningRate: 0.3}, plugin, badConfigs: {negativeLearningRate, zeroEpsilon}});
describeOptimizer('adadelta', adadelta, {
  options: {learningRate: 3},
  plugin,
  badConfigs: {negativeLearningRate, betaAboveOne: {rho: 1.5}, zeroEpsilon},
  quadratic: {steps: 1000},
  rosenbrock: {options: {learningRate: 0.1}, steps: 10_000},
});
describeOptimizer('adamax', adamax, {options: {learningRate: 0.1}, plugin, badConfigs: {negativeLearningRate, betaAboveOne, zeroEpsilon}});
describeOptimizer('adamw', adamw, adamFamily(0.05, 0.03));
describeOptimizer('nadam', nadam, adamFamily(0.05, 0.03));
describeOptimizer('lion', lion, {
  options: {learningRate: 0.03},
  plugin,
  badConfigs: {negativeLearningRate, betaAboveOne},
  quadratic: {threshold: 5e-3},
  rosenbrock: {options: {learningRate: 1e-3}},
});
describeOptimizer('lamb', lamb, adamFamily(0.01, 3e-3, 10_000));
