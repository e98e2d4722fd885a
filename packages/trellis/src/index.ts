// Batteries included: every first-party package, plus the default assembly.
export * from '@trellis/core';
export * from '@trellis/layers';
export * from '@trellis/optimizers';
export * from '@trellis/initializers';
export * from '@trellis/regularizers';
export * from '@trellis/schedules';
export * from '@trellis/metrics';
export * from '@trellis/data';
export * from '@trellis/backend-cpu';
export * from '@trellis/backend-wasm';
export {createTrellis, defaultPlugins} from './create-trellis';
export type {Trellis, TrellisOptions} from './create-trellis';
