// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {accuracy} from './accuracy';
import {binaryAccuracy} from './binary-accuracy';
import {categoricalAccuracy} from './categorical-accuracy';
import {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';

/** Metric factories under their plain names: `metrics.categoricalAccuracy()`. */
export const metrics = Object.freeze({
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
} as const);
