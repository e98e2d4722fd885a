import type {Plugin} from '@trellis/core';
import {glorotUniform} from './glorot-uniform';
import {zeros} from './zeros';

/** Registers `trellis/zeros` and `trellis/glorotUniform`. */
export const initializersPlugin: Plugin = {
  name: '@trellis/initializers',
  specVersion: 1,
  setup(registry) {
    registry.register('initializer', 'trellis/zeros', () => zeros());
    registry.register('initializer', 'trellis/glorotUniform', (config) => glorotUniform(config ?? {}));
  },
};
