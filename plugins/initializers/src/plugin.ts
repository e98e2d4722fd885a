import {aliasOf, checkNoOptions} from '@trellis/core';
import type {Initializer, Plugin} from '@trellis/core';
import {constant} from './constant';
import {glorotNormal} from './glorot-normal';
import {glorotUniform} from './glorot-uniform';
import {heNormal} from './he-normal';
import {heUniform} from './he-uniform';
import {identity} from './identity';
import {lecunNormal} from './lecun-normal';
import {lecunUniform} from './lecun-uniform';
import {ones} from './ones';
import {orthogonal} from './orthogonal';
import {randomNormal} from './random-normal';
import {randomUniform} from './random-uniform';
import {truncatedNormal} from './truncated-normal';
import {varianceScaling} from './variance-scaling';
import {zeros} from './zeros';

/**
 * Registers every initializer of this package as `trellis/<name>`: constant, glorotNormal,
 * glorotUniform, heNormal, heUniform, identity, lecunNormal, lecunUniform, ones, orthogonal,
 * randomNormal, randomUniform, truncatedNormal, varianceScaling and zeros. Each is rebuilt from its
 * spec config as an options object, so an unknown key in it is refused.
 * Keras' spellings (`'he_normal'`, `'glorot_uniform'`, `'Zeros'`, `'RandomNormal'`, …) are
 * registered as aliases: they resolve to the same initializer, whose spec has the canonical id.
 */
export const initializersPlugin: Plugin = {
  name: '@trellis/initializers',
  specVersion: 1,
  setup(registry) {
    for (const [name, build] of Object.entries(BUILDERS)) registry.register('initializer', `trellis/${name}`, build);
    for (const [alias, id] of Object.entries(KERAS_INITIALIZER_ALIASES)) {
      registry.register('initializer', alias, aliasOf('initializer', id));
    }
  },
};

/** Rebuilds an initializer that takes an options object from its spec config (an unknown key is refused). */
function fromOptions<C>(make: (options: C) => Initializer): (config: C | undefined) => Initializer {
  return (config) => make(config ?? ({} as C));
}

/** Rebuilds an initializer that takes no options; its spec config must be empty. */
function withoutOptions(name: string, make: () => Initializer): (config: unknown) => Initializer {
  return (config) => {
    checkNoOptions(name, config);
    return make();
  };
}

/** How each initializer is rebuilt from its spec config, by name (registered as `trellis/<name>`, in this order). */
const BUILDERS = {
  constant: fromOptions(constant),
  glorotNormal: fromOptions(glorotNormal),
  glorotUniform: fromOptions(glorotUniform),
  heNormal: fromOptions(heNormal),
  heUniform: fromOptions(heUniform),
  identity: fromOptions(identity),
  lecunNormal: fromOptions(lecunNormal),
  lecunUniform: fromOptions(lecunUniform),
  ones: withoutOptions('ones', ones),
  orthogonal: fromOptions(orthogonal),
  randomNormal: fromOptions(randomNormal),
  randomUniform: fromOptions(randomUniform),
  truncatedNormal: fromOptions(truncatedNormal),
  varianceScaling: fromOptions(varianceScaling),
  zeros: withoutOptions('zeros', zeros),
};

/** Keras' spellings of the initializers (snake_case names, class names, short names), each an alias of a canonical id. */
const KERAS_INITIALIZER_ALIASES: Readonly<Record<string, string>> = {
  'trellis/Constant': 'trellis/constant',
  'trellis/glorot_normal': 'trellis/glorotNormal',
  'trellis/GlorotNormal': 'trellis/glorotNormal',
  'trellis/glorot_uniform': 'trellis/glorotUniform',
  'trellis/GlorotUniform': 'trellis/glorotUniform',
  'trellis/he_normal': 'trellis/heNormal',
  'trellis/HeNormal': 'trellis/heNormal',
  'trellis/he_uniform': 'trellis/heUniform',
  'trellis/HeUniform': 'trellis/heUniform',
  'trellis/Identity': 'trellis/identity',
  'trellis/lecun_normal': 'trellis/lecunNormal',
  'trellis/LecunNormal': 'trellis/lecunNormal',
  'trellis/lecun_uniform': 'trellis/lecunUniform',
  'trellis/LecunUniform': 'trellis/lecunUniform',
  'trellis/Ones': 'trellis/ones',
  'trellis/one': 'trellis/ones',
  'trellis/Orthogonal': 'trellis/orthogonal',
  'trellis/random_normal': 'trellis/randomNormal',
  'trellis/RandomNormal': 'trellis/randomNormal',
  'trellis/normal': 'trellis/randomNormal',
  'trellis/random_uniform': 'trellis/randomUniform',
  'trellis/RandomUniform': 'trellis/randomUniform',
  'trellis/uniform': 'trellis/randomUniform',
  'trellis/truncated_normal': 'trellis/truncatedNormal',
  'trellis/TruncatedNormal': 'trellis/truncatedNormal',
  'trellis/variance_scaling': 'trellis/varianceScaling',
  'trellis/VarianceScaling': 'trellis/varianceScaling',
  'trellis/Zeros': 'trellis/zeros',
  'trellis/zero': 'trellis/zeros',
};
