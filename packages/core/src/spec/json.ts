/**
 * JSON values, and the `{id, config}` spec that makes every configurable
 * object rebuildable through a registry.
 *
 * Contract version 1.
 * @module
 */

/**
 * A JSON value. Object members may be `undefined` (dropped when stringified),
 * so optional config fields type-check. Declare configs with `type`, not
 * `interface`: interfaces have no index signature and are not assignable to it.
 */
export type Json = null | boolean | number | string | readonly Json[] | {readonly [key: string]: Json | undefined};

/**
 * What Keras calls `get_config()`: a namespaced id (`trellis/adam`,
 * `acme/lion`) plus a JSON config. `registry.resolve(kind, spec)` rebuilds the
 * object; loading never evaluates code.
 */
export type Spec<C extends Json = Json> = {
  readonly id: string;
  readonly config: C;
};

/** Anything that can be saved as a {@link Spec} and rebuilt from it. */
export interface Serializable<C extends Json = Json> {
  readonly spec: Spec<C>;
}
