/**
 * Attaching specs to functions and objects.
 * @module
 */
import type {Json, Spec} from './spec/json';

/**
 * Returns `target` with a read-only `spec` property (and the extra read-only
 * properties given), so a plain function becomes a serializable schedule,
 * initializer or loss. `target` is modified in place and returned.
 */
export function withSpec<T extends object, C extends Json, P extends object = object>(
  spec: Spec<C>,
  target: T,
  props?: P,
): T & {readonly spec: Spec<C>} & Readonly<P> {
  const frozen = Object.freeze({id: spec.id, config: spec.config});
  Object.defineProperty(target, 'spec', {value: frozen, enumerable: true});
  for (const [key, value] of Object.entries(props ?? {})) {
    Object.defineProperty(target, key, {value, enumerable: true});
  }
  return target as T & {readonly spec: Spec<C>} & Readonly<P>;
}
