// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {constant} from './constant-schedule';
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

/**
 * Learning-rate schedule factories under their plain names, which are also their spec ids
 * (`trellis/<name>`): `schedules.exponentialDecay({...})`, `schedules.constant(0.1)`
 * (`trellis/constant`; the deprecated flat `constantSchedule` is the same function).
 */
export const schedules = Object.freeze({
  constant,
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
