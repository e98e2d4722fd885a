// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

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
 * Initializer factories under their plain names, which are also their spec ids (`trellis/<name>`):
 * `initializers.glorotUniform()`, `initializers.identity()` (`trellis/identity`; the deprecated flat
 * `identityInitializer` is the same function).
 */
export const initializers = Object.freeze({
  constant,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  identity,
  lecunNormal,
  lecunUniform,
  ones,
  orthogonal,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  zeros,
} as const);
