/**
 * `serializersPlugin`: registers the layers-format serializer.
 * @module
 */
import type {Plugin} from '@trellis/core';
import {modelCheckpoint, type ModelCheckpointOptions} from './model-checkpoint';
import {tfjsLayersSerializer, type TfjsLayersSerializerOptions} from './serializer';

/**
 * Registers the serializer `trellis/tfjsLayers` (kind `serializer`): the
 * TensorFlow.js layers format for `file:` URLs and plain paths in Node and
 * tfjs-core's io schemes (`indexeddb:`, `localstorage:`, `downloads:`,
 * `http:`, `https:`). Its config is {@link TfjsLayersSerializerOptions}.
 * Also the callback `trellis/modelCheckpoint` (kind `callback`), built from
 * its JSON config (a `print` function cannot come from JSON).
 *
 * @example
 * const registry = createRegistry(serializersPlugin);
 * const serializer = registry.resolve('serializer', 'tfjsLayers');
 */
export const serializersPlugin: Plugin = {
  name: '@trellis/serializers',
  specVersion: 1,
  setup(registry) {
    registry.register('serializer', 'trellis/tfjsLayers', (config) => tfjsLayersSerializer((config ?? {}) as TfjsLayersSerializerOptions));
    registry.register('callback', 'trellis/modelCheckpoint', (config: ModelCheckpointOptions) =>
      modelCheckpoint(config ?? ({} as ModelCheckpointOptions)),
    );
  },
};
