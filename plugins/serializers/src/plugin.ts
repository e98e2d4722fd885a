/**
 * `serializersPlugin`: registers the layers-format serializer.
 * @module
 */
import {setModelSaver, type Plugin} from '@trellis/core';
import {saveModel} from './save-load';
import {modelCheckpoint, type ModelCheckpointOptions} from './model-checkpoint';
import {tfjsLayersSerializer, type TfjsLayersSerializerOptions} from './serializer';

/**
 * Registers the serializer `trellis/tfjsLayers` (kind `serializer`): the
 * TensorFlow.js layers format for `file:` URLs and plain paths in Node and
 * tfjs-core's io schemes (`indexeddb:`, `localstorage:`, `downloads:`,
 * `http:`, `https:`). Its config is {@link TfjsLayersSerializerOptions}.
 * Also the callback `trellis/modelCheckpoint` (kind `callback`), built from
 * its JSON config (a `print` function cannot come from JSON), and
 * `model.save(url, options)` (core's `setModelSaver`): {@link saveModel}.
 *
 * @example
 * const registry = createRegistry(serializersPlugin);
 * const serializer = registry.resolve('serializer', 'tfjsLayers');
 */
export const serializersPlugin: Plugin = {
  name: '@trellis/serializers',
  specVersion: 1,
  setup(registry) {
    setModelSaver((model, url, options) => saveModel(model, url, options as never));
    registry.register('serializer', 'trellis/tfjsLayers', (config) => tfjsLayersSerializer((config ?? {}) as TfjsLayersSerializerOptions));
    registry.register('callback', 'trellis/modelCheckpoint', (config: ModelCheckpointOptions) =>
      modelCheckpoint(config ?? ({} as ModelCheckpointOptions)),
    );
  },
};
