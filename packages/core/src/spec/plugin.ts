/**
 * Plugins and the registry they fill.
 *
 * Contract version 1. A plugin registers factories under namespaced ids
 * (`trellis/adam`, `acme/lion`) in `setup`; nothing registers itself on import.
 * Third parties add kinds by declaration merging:
 * `declare module '@trellis/core' { interface Factories { tokenizer: Tokenizer } }`.
 * @module
 */
import type {Callback} from './callback';
import type {Constraint} from './constraint';
import type {Initializer} from './initializer';
import type {Json, Spec} from './json';
import type {Layer} from './layer';
import type {Logger} from './logger';
import type {Loss} from './loss';
import type {Metric} from './metric';
import type {Optimizer} from './optimizer';
import type {Regularizer} from './regularizer';
import type {Schedule} from './schedule';
import type {Serializer} from './serializer';

/** Every kind of object a registry can build, by kind name. */
export interface Factories {
  optimizer: Optimizer;
  schedule: Schedule;
  initializer: Initializer;
  regularizer: Regularizer;
  constraint: Constraint;
  loss: Loss;
  metric: Metric;
  layer: Layer;
  callback: Callback;
  logger: Logger;
  serializer: Serializer;
}

/** A kind of registered object. */
export type Kind = keyof Factories;

/**
 * Builds an object from its JSON config. `registry` is the registry resolving
 * it (possibly a fork), for configs that nest specs of other kinds (a
 * schedule inside an optimizer, an initializer inside a layer).
 */
export type Factory<K extends Kind> = (config: any, registry: Registry) => Factories[K];

/** Namespaced ids to factories, by kind. Registries are plain objects, not globals. */
export interface Registry {
  /**
   * Registers `factory` under `id` (`owner/name`). Throws `ConfigError` on an
   * id without a namespace or one already taken. Returns an unregister function.
   */
  register<K extends Kind>(kind: K, id: string, factory: Factory<K>): () => void;
  /**
   * Builds an object from a spec or an id. A bare name (`'adam'`) matches the
   * one registered id that ends in `/adam`. Unknown ids throw `UnknownIdError`
   * naming the close matches and listing the known ids of that kind.
   */
  resolve<K extends Kind>(kind: K, specOrId: Spec | string, config?: Json): Factories[K];
  has(kind: Kind, id: string): boolean;
  /** The registered ids of a kind, sorted, without the aliases (`aliasOf`), which resolve all the same. */
  ids(kind: Kind): string[];
  /**
   * Runs each plugin's `setup(this)`; returns this registry. A plugin object
   * already set up in this registry (or in the one it was forked from) is
   * skipped, so setting up the same assembly twice is harmless.
   */
  use(...plugins: Plugin[]): Registry;
  /** A copy that can be extended without touching this one (Keras' CustomObjectScope). */
  fork(): Registry;
}

/** A package's contribution to a registry. */
export interface Plugin {
  readonly name: string;
  readonly specVersion: 1;
  setup(registry: Registry): void;
}
