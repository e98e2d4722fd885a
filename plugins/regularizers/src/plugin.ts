import {aliasOf, checkNoOptions} from '@trellis/core';
import type {Plugin} from '@trellis/core';
import {l1} from './l1';
import {l1l2} from './l1l2';
import {l2} from './l2';
import {maxNorm} from './max-norm';
import {minMaxNorm} from './min-max-norm';
import {nonNeg} from './non-neg';
import {orthogonal, type OrthogonalRegularizerConfig} from './orthogonal-regularizer';
import {unitNorm} from './unit-norm';

/**
 * Registers the regularizers `trellis/l1`, `trellis/l2`, `trellis/l1l2`, `trellis/orthogonal`
 * and the constraints `trellis/maxNorm`, `trellis/minMaxNorm`, `trellis/nonNeg`, `trellis/unitNorm`:
 * each id is `trellis/<name>`, the factory's name in the `regularizers` or `constraints` namespace.
 * The former id `trellis/orthogonalRegularizer` still loads, as a deprecated alias of
 * `trellis/orthogonal`, until the next minor release.
 * Each is rebuilt from its spec config as an options object, so an unknown key in it is refused.
 * Keras' spellings (`'l1_l2'`, `'L2'`, `'max_norm'`, `'NonNeg'`, …) are registered as aliases:
 * they resolve to the same regularizer or constraint, whose spec has the canonical id.
 */
export const regularizersPlugin: Plugin = {
  name: '@trellis/regularizers',
  specVersion: 1,
  setup(registry) {
    registry.register('regularizer', 'trellis/l1', (config) => l1(config ?? {}));
    registry.register('regularizer', 'trellis/l1l2', (config) => l1l2(config ?? {}));
    registry.register('regularizer', 'trellis/l2', (config) => l2(config ?? {}));
    const orthogonalFactory = (config: OrthogonalRegularizerConfig | undefined) => orthogonal(config ?? {});
    registry.register('regularizer', 'trellis/orthogonal', orthogonalFactory);
    // Deprecated alias (the same factory), so specs saved under the former id still load.
    registry.register('regularizer', 'trellis/orthogonalRegularizer', orthogonalFactory);
    registry.register('constraint', 'trellis/maxNorm', (config) => maxNorm(config ?? {}));
    registry.register('constraint', 'trellis/minMaxNorm', (config) => minMaxNorm(config ?? {}));
    registry.register('constraint', 'trellis/nonNeg', (config) => {
      checkNoOptions('nonNeg', config);
      return nonNeg();
    });
    registry.register('constraint', 'trellis/unitNorm', (config) => unitNorm(config ?? {}));
    for (const [alias, id] of Object.entries(KERAS_REGULARIZER_ALIASES)) {
      registry.register('regularizer', alias, aliasOf('regularizer', id));
    }
    for (const [alias, id] of Object.entries(KERAS_CONSTRAINT_ALIASES)) {
      registry.register('constraint', alias, aliasOf('constraint', id));
    }
  },
};

/** Keras' spellings of the regularizers, each an alias of a canonical id. */
const KERAS_REGULARIZER_ALIASES: Readonly<Record<string, string>> = {
  'trellis/L1': 'trellis/l1',
  'trellis/L2': 'trellis/l2',
  'trellis/l1_l2': 'trellis/l1l2',
  'trellis/L1L2': 'trellis/l1l2',
  'trellis/orthogonal_regularizer': 'trellis/orthogonal',
  'trellis/OrthogonalRegularizer': 'trellis/orthogonal',
};

/** Keras' spellings of the constraints, each an alias of a canonical id. */
const KERAS_CONSTRAINT_ALIASES: Readonly<Record<string, string>> = {
  'trellis/max_norm': 'trellis/maxNorm',
  'trellis/MaxNorm': 'trellis/maxNorm',
  'trellis/min_max_norm': 'trellis/minMaxNorm',
  'trellis/MinMaxNorm': 'trellis/minMaxNorm',
  'trellis/non_neg': 'trellis/nonNeg',
  'trellis/NonNeg': 'trellis/nonNeg',
  'trellis/unit_norm': 'trellis/unitNorm',
  'trellis/UnitNorm': 'trellis/unitNorm',
};
