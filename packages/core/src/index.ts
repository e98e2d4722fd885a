export type * from './spec/index';
export {
  BackendError,
  ConfigError,
  DataError,
  DTypeError,
  FormatError,
  ShapeError,
  StateError,
  TrellisError,
  UnknownIdError,
  describe,
  isTrellisError,
} from './errors';
export type {TrellisErrorOptions} from './errors';
export {createRegistry, defaultRegistry} from './registry';
export {withSpec} from './with-spec';
export {createRng, getSeed, nextSeed, setSeed} from './seed';
export type {Rng} from './seed';
export {ensureGradients} from './gradients';
export {useBackend} from './backend';
