/**
 * The conformance check of a package's namespace objects (`layers`,
 * `optimizers`...): plain names for the same functions the flat exports name.
 * @module
 */
import {describe, expect, it} from 'vitest';

/** What {@link describeNamespaces} needs beyond the package's exports. */
export type NamespaceCases = {
  /** Value exports that belong to no namespace (plugins, classes, helpers, constants). */
  readonly notFactories?: readonly string[];
  /** Flat names bent to dodge clashes, each mapped to its plain namespace member (`eluLayer: layers.elu`). */
  readonly renamed?: Readonly<Record<string, unknown>>;
};

/**
 * Registers vitest tests that the `namespaces` of a package (by name, e.g.
 * `{layers, activations}`) are frozen, reach every value export of `api`
 * (the package's `import * as api`) except the namespaces themselves and
 * `notFactories`, hold nothing the flat exports lack, and give each member
 * under the flat export's own name unless `renamed` says otherwise.
 */
export function describeNamespaces(
  api: Readonly<Record<string, unknown>>,
  namespaces: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  cases: NamespaceCases = {},
): void {
  const notFactories = cases.notFactories ?? [];
  const renamed = Object.entries(cases.renamed ?? {});
  describe(`${Object.keys(namespaces).join(', ')} namespace${Object.keys(namespaces).length > 1 ? 's' : ''}`, () => {
    it('is frozen', () => {
      for (const ns of Object.values(namespaces)) expect(Object.isFrozen(ns)).toBe(true);
    });

    it('reaches every value export of the package (and nothing else)', () => {
      const flat = Object.entries(api).filter(([name]) => !(name in namespaces) && !notFactories.includes(name));
      const members = new Set(Object.values(namespaces).flatMap((ns) => Object.values(ns)));
      expect(flat.filter(([, value]) => !members.has(value)).map(([name]) => name)).toEqual([]);
      const flatValues = new Set(flat.map(([, value]) => value));
      const strays = Object.entries(namespaces).flatMap(([nsName, ns]) =>
        Object.entries(ns)
          .filter(([, value]) => !flatValues.has(value))
          .map(([name]) => `${nsName}.${name}`),
      );
      expect(strays).toEqual([]);
      for (const name of notFactories) expect(name in api, name).toBe(true);
    });

    it('keeps plain names: a member is the flat export of the same name unless renamed', () => {
      for (const [nsName, ns] of Object.entries(namespaces)) {
        for (const [name, value] of Object.entries(ns)) {
          const flatName = renamed.find(([, v]) => v === value)?.[0] ?? name;
          expect(value, `${nsName}.${name}`).toBe(api[flatName]);
        }
      }
    });
  });
}
