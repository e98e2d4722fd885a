/**
 * The option names of every factory, listed once next to its options type and
 * checked against it at compile time, and the check that refuses any other
 * key (internal).
 * @module
 */
import {checkOptions} from '@trellis/core';

/** The names of the options of `O`. */
export type OptionKeys<O> = readonly (keyof O & string)[];

/** The keys of `O` that `K` does not list. */
type Unlisted<O, K extends readonly unknown[]> = Exclude<keyof O, K[number]>;

/** `unknown` when `K` lists every key of `O`; otherwise a type no array has, naming the missing keys. */
type ListsEvery<O, K extends readonly unknown[]> = [Unlisted<O, K>] extends [never] ? unknown : {readonly unlistedOptions: Unlisted<O, K>};

/**
 * A list of option names made for one options type (with core's
 * `optionKeys`), checked to fit another options type `O` exactly: the list
 * must name every key of `O` and nothing else, or the call does not compile.
 * For layers that share their options (every 2D pooling layer takes the
 * pooling options).
 *
 * @example
 * const RESHAPE_KEYS = reuseKeys<ReshapeOptions>()(['targetShape', ...BASE_LAYER_KEYS]);
 */
export function reuseKeys<O>() {
  return <const K extends OptionKeys<O>>(keys: K & ListsEvery<O, K>): K => Object.freeze([...keys]) as unknown as K;
}

/**
 * `options` once `@trellis/core`'s `checkOptions` has accepted it: a plain
 * object whose keys are all in `keys` (`{}` for `undefined`). The values are
 * not checked; the factory does that.
 *
 * @throws ConfigError for a value that is not an options object, or an
 *   unknown key (the message names it and suggests the closest option).
 */
export function knownOptions<O extends object>(who: string, options: O | undefined, keys: OptionKeys<O>): O {
  return checkOptions(who, options, keys) as O;
}
