import type {Plugin} from '@trellis/core';
import {accuracy} from './accuracy';
import {binaryAccuracy} from './binary-accuracy';
import {categoricalAccuracy} from './categorical-accuracy';
import {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';

/**
 * Registers the metrics of this package (kind `metric`): `trellis/accuracy`,
 * `trellis/binaryAccuracy`, `trellis/categoricalAccuracy` and
 * `trellis/sparseCategoricalAccuracy`, each built from its JSON config.
 */
export const metricsPlugin: Plugin = {
  name: '@trellis/metrics',
  specVersion: 1,
  setup(registry) {
    registry.register('metric', 'trellis/accuracy', (config) => accuracy(config ?? {}));
    registry.register('metric', 'trellis/binaryAccuracy', (config) => binaryAccuracy(config ?? {}));
    registry.register('metric', 'trellis/categoricalAccuracy', (config) => categoricalAccuracy(config ?? {}));
    registry.register('metric', 'trellis/sparseCategoricalAccuracy', (config) => sparseCategoricalAccuracy(config ?? {}));
  },
};
