// The namespaces the umbrella composes from several packages (each other namespace comes whole from
// one package). Built from the same functions the scoped packages export; nothing is redefined.

import {cpu} from '@trellis/backend-cpu';
import {wasm} from '@trellis/backend-wasm';
import {callbacks as callbackFactories} from '@trellis/callbacks';
import {modelCheckpoint} from '@trellis/serializers';
import {tensorBoard} from '@trellis/tensorboard';

/**
 * Callback factories under their plain names, as `keras.callbacks`: those of
 * `@trellis/callbacks` plus `modelCheckpoint` (`@trellis/serializers`) and
 * `tensorBoard` (`@trellis/tensorboard`).
 */
export const callbacks = Object.freeze({
  ...callbackFactories,
  modelCheckpoint,
  tensorBoard,
} as const);

/** The backend plugins: `await useBackend(backends.wasm())`. */
export const backends = Object.freeze({cpu, wasm} as const);
