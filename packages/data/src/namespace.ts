// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {balancedBatches} from './balanced-batches';
import {classWeightsFrom} from './class-weights';
import {fromTensors} from './from-tensors';
import {parseIdx} from './idx';
import {loadFashionMnist} from './load-fashion-mnist';
import {loadMnist} from './load-mnist';
import {loadCifar10, loadCifar100} from './load-cifar';
import {trainValidationSplit} from './train-validation-split';

/** Data loaders and dataset helpers under their plain names: `data.loadMnist()`, `data.loadCifar10({path})`, `data.fromTensors(...)`. */
export const data = Object.freeze({
  balancedBatches,
  classWeightsFrom,
  fromTensors,
  loadCifar10,
  loadCifar100,
  loadFashionMnist,
  loadMnist,
  parseIdx,
  trainValidationSplit,
} as const);
