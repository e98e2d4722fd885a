/**
 * The conformance check of a package's namespace objects (`layers`,
 * `optimizers`...): plain names for the same functions the flat exports name,
 * which are also the names in their spec ids.
 * @module
 */
import {describe, expect, it} from 'vitest';

/** What {@link describeNamespaces} needs beyond the package's exports. */
export type NamespaceCases = {
  /** Value exports that belong to no namespace (plugins, classes, helpers, constants). */
  readonly notFactories?: readonly string[];
  /**
   * Deprecated flat names bent to dodge clashes, each mapped to its plain
   * namespace member (`eluLayer: layers.elu`).
   */
  readonly renamed?: Readonly<Record<string, unknown>>;
  /**
   * The owner part of the spec ids (`trellis` in `trellis/dense`). Default
   * `'trellis'`.
   */
  readonly idOwner?: string;
  /**
   * Arguments that make a factory return an object with a spec, by
   * `'<namespace>.<member>'` (`'layers.dense': [{units: 2}]`), for the spec id
   * check. Members that carry a spec themselves (activations) need none.
   */
  readonly specArgs?: Readonly<Record<string, readonly unknown[]>>;
  /**
   * Whether the spec id check calls every factory missing from `specArgs`
   * without arguments (it must then not throw). Default false: only the
   * factories of `specArgs` are called, for packages whose factories do work
   * when called (load files, start timers).
   */
  readonly callFactories?: boolean;
};

/** The spec id of a namespace member: its own, or that of what `args` make it return (disposed again). */
function specIdOf(value: unknown, args: readonly unknown[] | undefined): unknown {
  const own = (value as {spec?: {id?: unknown}} | null)?.spec;
  if (own !== undefined || typeof value !== 'function' || args === undefined) return own?.id;
  const made = (value as (...a: unknown[]) => unknown)(...args) as {spec?: {id?: unknown}; dispose?: unknown} | null;
  const id = made?.spec?.id;
  if (typeof made?.dispose === 'function') (made.dispose as () => void)();
  return id;
}

/**
 * Registers vitest tests that the `namespaces` of a package (by name, e.g.
 * `{layers, activations}`) are frozen, reach every value export of `api`
 * (the package's `import * as api`) except the namespaces themselves and
 * `notFactories`, hold nothing the flat exports lack, and give each member
 * under the flat export's own name unless `renamed` says otherwise; that no
 * two members of a namespace differ only by case (`reLU` and `relu`); and that
 * a member's spec id is `<idOwner>/<member name>` (`layers.elu().spec.id` is
 * `trellis/elu`), or, for an alias (one value under two names of a namespace,
 * `activations.silu` and `activations.swish`), `<idOwner>/<either name>`. The
 * spec of a member is its own (activations) or that of what the factory
 * returns when called with `specArgs` (or without arguments, under
 * `callFactories`); members without a spec are not checked. `more` declares
 * the package's own tests of its namespaces inside the same suite.
 */
export function describeNamespaces(
  api: Readonly<Record<string, unknown>>,
  namespaces: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  cases: NamespaceCases = {},
  more?: () => void,
): void {
  const notFactories = cases.notFactories ?? [];
  const renamed = Object.entries(cases.renamed ?? {});
  const owner = cases.idOwner ?? 'trellis';
  const specArgs = cases.specArgs ?? {};
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

    it('has no two members of a namespace that differ only by case', () => {
      for (const [nsName, ns] of Object.entries(namespaces)) {
        const byLowerCase = new Map<string, string[]>();
        for (const name of Object.keys(ns)) byLowerCase.set(name.toLowerCase(), [...(byLowerCase.get(name.toLowerCase()) ?? []), name]);
        const pairs = [...byLowerCase.values()]
          .filter((names) => names.length > 1)
          .map((names) => names.map((n) => `${nsName}.${n}`).join(' / '));
        expect(pairs, nsName).toEqual([]);
      }
    });

    it('names each spec id after its member: <owner>/<member name>', () => {
      for (const key of Object.keys(specArgs)) {
        const [nsName, name] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
        expect(Object.hasOwn(namespaces, nsName) && Object.hasOwn(namespaces[nsName]!, name), `specArgs names no member: ${key}`).toBe(
          true,
        );
      }
      const mismatches: string[] = [];
      for (const [nsName, ns] of Object.entries(namespaces)) {
        for (const [name, value] of Object.entries(ns)) {
          const key = `${nsName}.${name}`;
          const args = specArgs[key] ?? (cases.callFactories ? [] : undefined);
          let id: unknown;
          try {
            id = specIdOf(value, args);
          } catch (error) {
            mismatches.push(`${key}: threw (${(error as Error).message}); give its arguments in specArgs`);
            continue;
          }
          if (id === undefined) continue;
          const names = Object.entries(ns)
            .filter(([, v]) => v === value)
            .map(([n]) => n);
          if (!names.some((n) => id === `${owner}/${n}`)) mismatches.push(`${key}: ${String(id)}`);
        }
      }
      expect(mismatches, `members whose spec id is not ${owner}/<member name>`).toEqual([]);
    });

    more?.();
  });
}
