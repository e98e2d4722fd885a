/**
 * Wrapping a method of a class prototype so that it can be unwrapped: the
 * wrapper keeps the method it wraps under a `Symbol.for` key, so wrapping
 * again is a no-op (from any copy of this package) and the original can be
 * put back.
 * @module
 */

/** A method of a prototype. */
type Method = (this: never, ...args: never[]) => unknown;

type Wrapped = Method & {[original: symbol]: unknown};

/**
 * Replaces `prototype[name]` with `wrap(original)`, marking the wrapper with
 * `marker`. Does nothing when the method there already carries `marker`.
 */
export function wrapMethod<F extends Method>(prototype: object, name: string, marker: symbol, wrap: (original: F) => F): void {
  const proto = prototype as Record<string, Wrapped>;
  const original = proto[name]!;
  if (original[marker] !== undefined) return;
  const wrapped = wrap(original as unknown as F) as unknown as Wrapped;
  wrapped[marker] = original;
  proto[name] = wrapped;
}

/** Puts back the method {@link wrapMethod} wrapped with `marker`; returns whether there was a wrapper to remove. */
export function unwrapMethod(prototype: object, name: string, marker: symbol): boolean {
  const proto = prototype as Record<string, Wrapped>;
  const original = proto[name]?.[marker];
  if (original === undefined) return false;
  proto[name] = original as Wrapped;
  return true;
}
