// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {accumulateGradients} from './accumulate-gradients';
import {adadelta} from './adadelta';
import {adagrad} from './adagrad';
import {adam} from './adam';
import {adamax} from './adamax';
import {adamw} from './adamw';
import {addDecayedWeights} from './add-decayed-weights';
import {chain} from './chain';
import {clipByGlobalNorm} from './clip-by-global-norm';
import {clipByNorm} from './clip-by-norm';
import {clipByValue} from './clip-by-value';
import {decoupledWeightDecay} from './decoupled-weight-decay';
import {ema} from './ema';
import {identity} from './identity';
import {lamb} from './lamb';
import {lion} from './lion';
import {nadam} from './nadam';
import {rmsprop} from './rmsprop';
import {scale} from './scale';
import {scaleByAdadelta} from './scale-by-adadelta';
import {scaleByAdagrad} from './scale-by-adagrad';
import {scaleByAdam} from './scale-by-adam';
import {scaleByAdamax} from './scale-by-adamax';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByLion} from './scale-by-lion';
import {scaleByMomentum} from './scale-by-momentum';
import {scaleByNadam} from './scale-by-nadam';
import {scaleByRms} from './scale-by-rms';
import {scaleByTrustRatio} from './scale-by-trust-ratio';
import {sgd} from './sgd';

/** Optimizer factories (`optimizers.adam()`, `optimizers.sgd()`, ...) and the gradient transforms they are built from (`optimizers.chain(...)`, `optimizers.clipByGlobalNorm(1)`, `optimizers.scaleByAdam()`, ...) under their plain names. */
export const optimizers = Object.freeze({
  accumulateGradients,
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  addDecayedWeights,
  chain,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  decoupledWeightDecay,
  ema,
  identity,
  lamb,
  lion,
  nadam,
  rmsprop,
  scale,
  scaleByAdadelta,
  scaleByAdagrad,
  scaleByAdam,
  scaleByAdamax,
  scaleByLearningRate,
  scaleByLion,
  scaleByMomentum,
  scaleByNadam,
  scaleByRms,
  scaleByTrustRatio,
  sgd,
} as const);
