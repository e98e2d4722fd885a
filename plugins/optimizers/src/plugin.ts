/**
 * `optimizersPlugin`: registers the optimizers of this package.
 * @module
 */
import type {Plugin} from '@trellis/core';
import {adam} from './adam';
import {sgd} from './sgd';

/**
 * Registers `trellis/sgd` and `trellis/adam` (kind `'optimizer'`), so
 * `registry.resolve('optimizer', opt.spec)` rebuilds an optimizer and
 * `model.compile({optimizer: 'adam', registry})` finds one by name.
 *
 * The factories take the JSON config of the spec (missing keys get Keras'
 * defaults). A learning rate saved as a schedule spec is refused with a
 * `ConfigError`: schedules come with `@trellis/schedules`; rebuild the
 * schedule and call `adam({...config, learningRate: schedule})`.
 */
export const optimizersPlugin: Plugin = {
  name: '@trellis/optimizers',
  specVersion: 1,
  setup(registry) {
    registry.register('optimizer', 'trellis/sgd', (config) => sgd(config ?? {}));
    registry.register('optimizer', 'trellis/adam', (config) => adam(config ?? {}));
  },
};
