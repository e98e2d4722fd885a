/**
 * Shared types and helpers of the Keras config mapping (internal).
 * @module
 */
import {ConfigError, UnknownIdError, describeValue, type Json, type Spec} from '@trellis/core';

/** A Keras object as Keras and tfjs-layers serialize it: a class name and its snake_case constructor arguments. */
export type KerasClassConfig = {
  readonly class_name: string;
  readonly config: {readonly [key: string]: Json | undefined};
  /** Keras 3 writes these too; they are ignored when read. */
  readonly module?: string | null;
  readonly registered_name?: string | null;
};

/**
 * Which Keras spells a config: `'tfjs'` as tfjs-layers (Keras 2 names,
 * `L1L2` for every weight penalty, `LeCunNormal`), `'keras'` as Keras 3
 * (`L1`, `L2`, `LecunNormal`). Both are read either way.
 */
export type KerasDialect = 'tfjs' | 'keras';

/** Options of the functions that write Keras configs. */
export type KerasWriteOptions = {
  /** The spelling to write (default `'tfjs'`, which Keras 3 reads too). */
  readonly dialect?: KerasDialect;
};

/** A JSON object. */
export type JsonObject = {readonly [key: string]: Json | undefined};

/** `camelCase` → `snake_case`, as Keras names config keys (`kernelSize` → `kernel_size`, `beta1` → `beta_1` only when asked). */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** `snake_case` → `camelCase` (`kernel_size` → `kernelSize`). */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `record[key]` when `key` is an own property (never an inherited one such as `constructor`). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether `value` is a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep equality of two JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Checks that `value` is a Keras `{class_name, config}` object; `what` names
 * it in the error (`layer 3 of the model`).
 * @throws ConfigError otherwise.
 */
export function checkClassConfig(value: unknown, what: string): KerasClassConfig {
  if (!isObject(value) || typeof value.class_name !== 'string' || value.class_name === '') {
    throw new ConfigError(`Expected ${what} as a Keras {class_name, config} object; got ${describeValue(value)}.`);
  }
  const config = value.config ?? {};
  if (!isObject(config)) {
    throw new ConfigError(`The config of ${what} (class '${value.class_name}') must be a JSON object; got ${describeValue(config)}.`);
  }
  return {class_name: value.class_name, config};
}

/** Checks that `value` is a `{id, config}` spec; `what` names it in the error. */
export function checkSpec(value: unknown, what: string): Spec {
  if (!isObject(value) || typeof value.id !== 'string') {
    throw new ConfigError(`Expected ${what} as a Trellis {id, config} spec; got ${describeValue(value)}.`);
  }
  return {id: value.id, config: (value.config ?? {}) as Json};
}

/** A two-way table between Trellis ids and Keras class names, for one kind of object. */
export class ClassTable<E extends {readonly id: string; readonly className: string; readonly aliases?: readonly string[]}> {
  readonly #byId = new Map<string, E>();
  readonly #byClass = new Map<string, E>();

  constructor(
    /** What the objects are, for messages (`layer`, `initializer`). */
    readonly kind: string,
    entries: readonly E[],
  ) {
    for (const e of entries) {
      this.#byId.set(e.id, e);
      this.#byClass.set(e.className, e);
      for (const alias of e.aliases ?? []) this.#byClass.set(alias, e);
    }
  }

  /** The entry of a Trellis id. @throws UnknownIdError listing the ids that have a Keras class. */
  forId(id: string): E {
    const e = this.#byId.get(id);
    if (!e) throw new UnknownIdError(`${this.kind} (with a Keras class)`, id, this.ids());
    return e;
  }

  /** The entry of a Keras class name. @throws UnknownIdError listing the known Keras classes. */
  forClass(className: string): E {
    const e = this.#byClass.get(className);
    if (!e) throw new UnknownIdError(`Keras ${this.kind} class`, className, this.classNames());
    return e;
  }

  /** The Trellis ids of the table, sorted. */
  ids(): string[] {
    return [...this.#byId.keys()].sort();
  }

  /** The Keras class names the table reads, sorted. */
  classNames(): string[] {
    return [...this.#byClass.keys()].sort();
  }
}
