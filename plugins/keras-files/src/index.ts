/**
 * `@trellis/keras-files`: the containers of Keras 3 `.keras` archives and legacy Keras `.h5`
 * files, both directions, with Keras' own class names, configs and weight names. Configs are
 * plain JSON; weights are typed arrays with shape and dtype.
 * @module
 */
export {KerasFileError, type KerasFileProblem} from './errors';
export {DEFAULT_LIMITS, type KerasFileLimits} from './limits';
export type {Json} from './json';
export type {KerasArray, KerasDType, KerasTypedArray} from './arrays';
export {
  KERAS_ENTRIES,
  readKerasArchive,
  readKerasWeightsH5,
  writeKerasArchive,
  writeKerasWeightsH5,
  type KerasArchive,
  type KerasArchiveInput,
  type KerasModelWeights,
  type KerasOptimizerState,
  type KerasVars,
} from './keras-archive';
export {readLegacyH5, writeLegacyH5, type LegacyH5Model, type LegacyLayerWeights, type LegacyWeight} from './legacy-h5';
export {readKerasFile, writeKerasFile, readLegacyH5File, writeLegacyH5File, writeFileAtomic} from './node-files';
export {kerasLayerPaths, toSnakeCase} from './paths';
