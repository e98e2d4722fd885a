// The Keras-style namespaces: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {l1} from './l1';
import {l1l2} from './l1l2';
import {l2} from './l2';
import {maxNorm} from './max-norm';
import {minMaxNorm} from './min-max-norm';
import {nonNeg} from './non-neg';
import {orthogonal} from './orthogonal-regularizer';
import {unitNorm} from './unit-norm';

/**
 * Regularizer factories under their plain names, which are also their spec ids (`trellis/<name>`):
 * `regularizers.l2(0.01)`, `regularizers.orthogonal()` (`trellis/orthogonal`; the deprecated flat
 * `orthogonalRegularizer` is the same function).
 */
export const regularizers = Object.freeze({
  l1,
  l1l2,
  l2,
  orthogonal,
} as const);

/** Constraint factories under their plain names: `constraints.maxNorm({maxValue: 2})`. */
export const constraints = Object.freeze({
  maxNorm,
  minMaxNorm,
  nonNeg,
  unitNorm,
} as const);
