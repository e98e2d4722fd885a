/**
 * Checking options against their declarations (defaults and ranges), as
 * {@link defineOptimizer} and the `scaleBy*` transforms do (internal).
 * @module
 */
import {checkBoolean, checkNumber, type NumberRange} from '@trellis/core';
import {checkOptions} from './checks';
import type {DeclaredConfig, NumberOptionDeclaration, OptionDeclarations} from './define-optimizer';

/** The options a transform declared with `O` accepts: every declared option, optional. */
export type DeclaredTransformOptions<O extends OptionDeclarations> = {
  readonly [K in keyof O]?: DeclaredConfig<O>[K];
};

/**
 * The range of core's `checkNumber` for a declaration (whose `max` is
 * exclusive unless `maxInclusive`, where core's is inclusive unless `maxExclusive`).
 */
export function declaredRange(declaration: NumberOptionDeclaration): NumberRange {
  const {min, minExclusive, max, maxInclusive} = declaration;
  return {
    ...(min === undefined ? {} : {min}),
    ...(minExclusive === undefined ? {} : {minExclusive}),
    ...(max === undefined ? {} : {max, maxExclusive: maxInclusive !== true}),
  };
}

/**
 * The declared options of `raw`, in declaration order, each checked (core's
 * `checkBoolean` or `checkNumber` with the declared range, a `ConfigError`
 * naming `who` and the option) with its default filled in for `undefined`
 * or `null`. Other keys of `raw` are not looked at.
 */
export function checkDeclared<O extends OptionDeclarations>(
  who: string,
  raw: Readonly<Record<string, unknown>>,
  declarations: O,
): DeclaredConfig<O> {
  const config: Record<string, number | boolean> = {};
  for (const [key, declaration] of Object.entries(declarations)) {
    const fallback = declaration.default;
    const value = raw[key] ?? fallback;
    config[key] =
      typeof fallback === 'boolean'
        ? checkBoolean(who, key, value)
        : checkNumber(who, key, value, declaredRange(declaration as NumberOptionDeclaration));
  }
  return config as DeclaredConfig<O>;
}

/**
 * The options of a transform: a `ConfigError` for a key that is not declared
 * (naming the option a typo most likely meant), then {@link checkDeclared}.
 */
export function checkTransformOptions<O extends OptionDeclarations>(
  who: string,
  options: DeclaredTransformOptions<O>,
  declarations: O,
): DeclaredConfig<O> {
  checkOptions(who, options, Object.keys(declarations));
  return checkDeclared(who, options as Readonly<Record<string, unknown>>, declarations);
}
