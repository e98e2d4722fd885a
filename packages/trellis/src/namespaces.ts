// The namespaces the umbrella composes from several packages (each other namespace comes whole from
// one package). Built from the same functions the scoped packages export; nothing is redefined.

import {cpu} from '@trellis/backend-cpu';
import {wasm} from '@trellis/backend-wasm';
import {callbacks as callbackFactories} from '@trellis/callbacks';
import {modelCheckpoint} from '@trellis/serializers';
import {tensorBoard} from '@trellis/tensorboard';
import {backendCandidates} from './backend-candidates';
import {diagnoseBackends} from './diagnose-backends';

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

/**
 * The backend plugins (`await useBackend(backends.wasm())`), the candidates
 * `useBackend('auto')` tries (`candidates`), and the diagnosis `npx trellis
 * doctor` prints (`diagnose`). The native and WebGPU plugins are optional
 * packages: import them from `@trellis/backend-node` and
 * `@trellis/backend-webgpu`, or let `'auto'` find them.
 */
export const backends = Object.freeze({cpu, wasm, candidates: backendCandidates, diagnose: diagnoseBackends} as const);
