// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {lrFinder} from './lr-finder/lr-finder';
import {hyperbandSchedule} from './oracles/hyperband';
import {bayesianOptimization, gridSearch, hyperband, randomSearch} from './tuner/factories';

/** The tuners, the learning-rate finder and the helpers under their plain names: `tuner.randomSearch({...})`. */
export const tuner = Object.freeze({
  bayesianOptimization,
  gridSearch,
  hyperband,
  hyperbandSchedule,
  lrFinder,
  randomSearch,
} as const);
