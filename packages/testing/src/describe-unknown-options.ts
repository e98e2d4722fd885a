/**
 * The unknown-option suite of a package: every export that takes an options
 * object refuses a misspelled option, naming the one it meant.
 * @module
 */
import {checkOptions, type Kind, type Registry} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectUnknownOptionRefused, misspell} from './unknown-options';

/** A factory of the suite, as the table gives it: called with an options object. */
type OptionsFactory = (options: never) => unknown;

/**
 * An export that takes an options object, and one option it reads:
 * `[make, key]`, or `[make, valid, key]` when the factory needs options
 * (`valid`) besides the misspelled one. `make` receives the options, so it
 * can wrap a factory that takes more arguments
 * (`(options) => fromTensors(x, y, options)`).
 */
export type UnknownOptionCase = readonly [make: OptionsFactory, key: string] | readonly [make: OptionsFactory, valid: object, key: string];

/** What {@link describeUnknownOptions} checks. */
export type UnknownOptionCases = {
  /** Every export that takes an options object, by its name (the name its `ConfigError` gives). */
  readonly takesOptions: Readonly<Record<string, UnknownOptionCase>>;
  /** Every other export: namespaces, plugins, classes, constants, factories without options. */
  readonly noOptions: readonly string[];
  /** Exports whose options other test files check (`/^lrFinder/i`), left out of the coverage check. */
  readonly testedElsewhere?: RegExp;
};

/** A factory's spec, as far as the unknown-option checks read it. */
type MadeWithSpec = {readonly spec?: {readonly id: string; readonly config?: unknown}};

/** The factory name and the option key a spec id is checked with, and the spec config its factory made. */
export type SpecCase = {readonly who: string; readonly key: string; readonly config: object};

const CASE_KEYS = ['takesOptions', 'noOptions', 'testedElsewhere'] as const;

/** The parts of a table entry, `valid` being `undefined` for `[make, key]`. */
function partsOf(entry: UnknownOptionCase): readonly [OptionsFactory, object | undefined, string] {
  return entry.length === 2 ? [entry[0], undefined, entry[1]] : entry;
}

/**
 * Registers the vitest suite `unknown options` for a package (`api` is its
 * `import * as api`): `takesOptions` and `noOptions` together name every
 * export (but those matched by `testedElsewhere`), and each export of
 * `takesOptions`, called with its `valid` options plus `misspell(key)`,
 * throws the `ConfigError` of {@link expectUnknownOptionRefused} and leaves
 * no tensor behind. `more` declares the package's own tests inside the same
 * suite. An unknown key in `cases` throws a `ConfigError`.
 *
 * @example
 * describeUnknownOptions(api, {takesOptions: {adam: [api.adam, 'beta1']}, noOptions: ['optimizersPlugin']});
 */
export function describeUnknownOptions(api: Readonly<Record<string, unknown>>, cases: UnknownOptionCases, more?: () => void): void {
  checkOptions('describeUnknownOptions', cases, CASE_KEYS);
  describe('unknown options', () => {
    it('the table covers every export', () => {
      const names = Object.keys(api).filter((name) => !cases.testedElsewhere?.test(name));
      expect(names.sort()).toEqual([...Object.keys(cases.takesOptions), ...cases.noOptions].sort());
    });

    it.each(Object.entries(cases.takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, entry) => {
      const [make, valid, key] = partsOf(entry);
      await expectUnknownOptionRefused(() => make({...valid, [misspell(key)]: 1} as never), who, key);
    });

    more?.();
  });
}

/**
 * The spec ids of the objects the factories of `takesOptions` make (called
 * with their `valid` options, or with none), each with the factory name, the
 * option key and the spec config, for checking a registry's factories with
 * {@link expectSpecConfigRefused}. Factories whose result has no spec are left
 * out.
 */
export function specCases(takesOptions: Readonly<Record<string, UnknownOptionCase>>): Map<string, SpecCase> {
  const byId = new Map<string, SpecCase>();
  for (const [who, entry] of Object.entries(takesOptions)) {
    const [make, valid, key] = partsOf(entry);
    const made = (valid === undefined ? (make as () => unknown)() : make(valid as never)) as MadeWithSpec | undefined;
    if (made?.spec) byId.set(made.spec.id, {who, key, config: (made.spec.config ?? {}) as object});
  }
  return byId;
}

/**
 * Asserts that `registry` refuses the spec `{id, config: {...config,
 * [misspell(key)]: 1}}` of `kind` with the `ConfigError` of
 * {@link expectUnknownOptionRefused} (`<who> does not know the option …`),
 * leaving no tensor behind.
 */
export async function expectSpecConfigRefused(
  registry: Registry,
  kind: Kind,
  id: string,
  {who, key, config = {}}: {readonly who: string; readonly key: string; readonly config?: object},
): Promise<Error> {
  return expectUnknownOptionRefused(() => registry.resolve(kind, {id, config: {...config, [misspell(key)]: 1}} as never), who, key);
}
