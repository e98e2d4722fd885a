// The namespaces reach every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import * as api from './index';
import {constraints, regularizers} from './index';

const namespaces = {constraints, regularizers} as const;
// Value exports that are not factories: the plugin.
const notFactories: readonly string[] = [
  'regularizersPlugin',
];
// Flat names bent to dodge clashes -> their plain namespace member.
const renamed: Record<string, unknown> = {
  orthogonalRegularizer: regularizers.orthogonal,
};

describe('constraints, regularizers namespaces', () => {
  it('are frozen', () => {
    for (const ns of Object.values(namespaces)) expect(Object.isFrozen(ns)).toBe(true);
  });

  it('reach every value export of the package (and nothing else)', () => {
    const flat = Object.entries(api).filter(([name]) => !(name in namespaces) && !notFactories.includes(name));
    const members = new Set(Object.values(namespaces).flatMap((ns) => Object.values(ns) as unknown[]));
    expect(flat.filter(([, value]) => !members.has(value)).map(([name]) => name)).toEqual([]);
    const flatValues = new Set(flat.map(([, value]) => value));
    const strays = Object.entries(namespaces).flatMap(([nsName, ns]) =>
      Object.entries(ns)
        .filter(([, value]) => !flatValues.has(value))
        .map(([name]) => `${nsName}.${name}`),
    );
    expect(strays).toEqual([]);
    for (const name of notFactories) expect(name in api).toBe(true);
  });

  it('keep plain names: a member is the flat export of the same name unless renamed', () => {
    for (const [nsName, ns] of Object.entries(namespaces)) {
      for (const [name, value] of Object.entries(ns)) {
        const flatName = Object.entries(renamed).find(([, v]) => v === value)?.[0] ?? name;
        expect(value, `${nsName}.${name}`).toBe((api as Record<string, unknown>)[flatName]);
      }
    }
  });

  it('are typed as the flat exports', () => {
    expect(regularizers.l1).toBe(api.l1);
    expect(regularizers.l2).toBe(api.l2);
    expectTypeOf(regularizers.l1).toEqualTypeOf(api.l1);
    expect(constraints.maxNorm).toBe(api.maxNorm);
    expect(constraints.minMaxNorm).toBe(api.minMaxNorm);
    expectTypeOf(constraints.maxNorm).toEqualTypeOf(api.maxNorm);
    expect(regularizers.orthogonal).toBe(api.orthogonalRegularizer);
  });
});
