// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {constantSchedule} from './constant-schedule';
import {cosineDecay} from './cosine-decay';
import {cosineDecayRestarts} from './cosine-decay-restarts';
import {exponentialDecay} from './exponential-decay';
import {inverseTimeDecay} from './inverse-time-decay';
import {join} from './join';
import {linearWarmup} from './linear-warmup';
import {oneCycle} from './one-cycle';
import {piecewiseConstantDecay} from './piecewise-constant-decay';
import {polynomialDecay} from './polynomial-decay';
import {stepDecay} from './step-decay';

/** Learning-rate schedule factories under their plain names: `schedules.exponentialDecay({...})`, `schedules.constant(0.1)` (flat `constantSchedule`). */
export const schedules = Object.freeze({
  constant: constantSchedule,
  cosineDecay,
  cosineDecayRestarts,
  exponentialDecay,
  inverseTimeDecay,
  join,
  linearWarmup,
  oneCycle,
  piecewiseConstantDecay,
  polynomialDecay,
  stepDecay,
} as const);
