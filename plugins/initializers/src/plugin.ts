import {aliasOf, checkNoOptions} from '@trellis/core';
import type {Plugin} from '@trellis/core';
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
    registry.register('initializer', 'trellis/constant', (config) => constant(config ?? {}));
    registry.register('initializer', 'trellis/glorotNormal', (config) => glorotNormal(config ?? {}));
    registry.register('initializer', 'trellis/glorotUniform', (config) => glorotUniform(config ?? {}));
    registry.register('initializer', 'trellis/heNormal', (config) => heNormal(config ?? {}));
    registry.register('initializer', 'trellis/heUniform', (config) => heUniform(config ?? {}));
    registry.register('initializer', 'trellis/identity', (config) => identity(config ?? {}));
    registry.register('initializer', 'trellis/lecunNormal', (config) => lecunNormal(config ?? {}));
    registry.register('initializer', 'trellis/lecunUniform', (config) => lecunUniform(config ?? {}));
    registry.register('initializer', 'trellis/ones', (config) => {
      checkNoOptions('ones', config);
      return ones();
    });
    registry.register('initializer', 'trellis/orthogonal', (config) => orthogonal(config ?? {}));
    registry.register('initializer', 'trellis/randomNormal', (config) => randomNormal(config ?? {}));
    registry.register('initializer', 'trellis/randomUniform', (config) => randomUniform(config ?? {}));
    registry.register('initializer', 'trellis/truncatedNormal', (config) => truncatedNormal(config ?? {}));
    registry.register('initializer', 'trellis/varianceScaling', (config) => varianceScaling(config ?? {}));
    registry.register('initializer', 'trellis/zeros', (config) => {
      checkNoOptions('zeros', config);
      return zeros();
    });
    for (const [alias, id] of Object.entries(KERAS_INITIALIZER_ALIASES)) {
      registry.register('initializer', alias, aliasOf('initializer', id));
    }
  },
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
