/**
 * Serializers: how models and training state are stored.
 *
 * Contract version 1. Writes are atomic; loading validates before it touches
 * a model and never evaluates code.
 * @module
 */
import type {Json, Spec} from './json';
import type {NamedTensors} from './state';

/** What a serializer stores: specs, tensors by name, and metadata. */
export interface Artifacts {
  readonly format: 'trellis/v1';
  readonly specs: Readonly<Record<string, Spec>>;
  /** Owned by the caller of `load`; not disposed by `save`. */
  readonly tensors: NamedTensors;
  readonly meta?: Json;
}

/** A storage format and medium. */
export interface Serializer {
  readonly name: string;
  /** URL schemes it handles: `'file:'`, `'indexeddb:'`. */
  readonly schemes: readonly string[];
  save(artifacts: Artifacts, url: string): Promise<void>;
  load(url: string): Promise<Artifacts>;
}
