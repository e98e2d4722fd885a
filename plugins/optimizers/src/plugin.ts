/**
 * `optimizersPlugin`: registers the optimizers of this package.
 * @module
 */
import {aliasOf, type Plugin} from '@trellis/core';
import {adadelta} from './adadelta';
import {adagrad} from './adagrad';
import {adam} from './adam';
import {adamax} from './adamax';
import {adamw} from './adamw';
import {lamb} from './lamb';
import {withScheduleLearningRates} from './learning-rate';
import {lion} from './lion';
import {nadam} from './nadam';
import {rmsprop} from './rmsprop';
import {sgd} from './sgd';

/**
 * Registers `trellis/sgd`, `trellis/adam`, `trellis/rmsprop`, `trellis/adagrad`
 * `trellis/adadelta`, `trellis/adamax`, `trellis/adamw`, `trellis/nadam`,
 * `trellis/lion` and `trellis/lamb` (kind `'optimizer'`), so
 * `registry.resolve('optimizer', opt.spec)` rebuilds an optimizer and
 * `model.compile({optimizer: 'adam', registry})` finds one by name. Keras'
 * spellings (`'SGD'`, `'Adam'`, `'RMSprop'`, `'AdamW'`, …) are registered as
 * aliases: they resolve to the same optimizer, whose spec has the canonical id.
 *
 * The factories take the JSON config of the spec (missing keys get Keras'
 * defaults). A learning rate saved as a schedule spec (`{id, config}`) is
 * rebuilt with `registry.resolve('schedule', spec)` through the registry
 * resolving the optimizer, so `@trellis/schedules`' plugin must be set up in
 * it (a `ConfigError` says so otherwise).
 */
export const optimizersPlugin: Plugin = {
  name: '@trellis/optimizers',
  specVersion: 1,
  setup(host) {
    const registry = withScheduleLearningRates(host);
    registry.register('optimizer', 'trellis/sgd', (config) => sgd(config ?? {}));
    registry.register('optimizer', 'trellis/adam', (config) => adam(config ?? {}));
    registry.register('optimizer', 'trellis/rmsprop', (config) => rmsprop(config ?? {}));
    registry.register('optimizer', 'trellis/adagrad', (config) => adagrad(config ?? {}));
    registry.register('optimizer', 'trellis/adadelta', (config) => adadelta(config ?? {}));
    registry.register('optimizer', 'trellis/adamax', (config) => adamax(config ?? {}));
    registry.register('optimizer', 'trellis/adamw', (config) => adamw(config ?? {}));
    registry.register('optimizer', 'trellis/nadam', (config) => nadam(config ?? {}));
    registry.register('optimizer', 'trellis/lion', (config) => lion(config ?? {}));
    registry.register('optimizer', 'trellis/lamb', (config) => lamb(config ?? {}));
    for (const [alias, id] of Object.entries(KERAS_OPTIMIZER_ALIASES)) {
      // On the host registry: the canonical factory resolves a schedule spec in the config.
      host.register('optimizer', alias, aliasOf('optimizer', id));
    }
  },
};

/** Keras' spellings of the optimizers (its class names), each an alias of a canonical id. */
const KERAS_OPTIMIZER_ALIASES: Readonly<Record<string, string>> = {
  'trellis/SGD': 'trellis/sgd',
  'trellis/Adam': 'trellis/adam',
  'trellis/RMSprop': 'trellis/rmsprop',
  'trellis/Adagrad': 'trellis/adagrad',
  'trellis/Adadelta': 'trellis/adadelta',
  'trellis/Adamax': 'trellis/adamax',
  'trellis/AdamW': 'trellis/adamw',
  'trellis/Nadam': 'trellis/nadam',
  'trellis/Lion': 'trellis/lion',
  'trellis/Lamb': 'trellis/lamb',
};
