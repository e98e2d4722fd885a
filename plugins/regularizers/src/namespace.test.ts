// The namespaces reach every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
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

describeNamespaces(api, namespaces, {notFactories, renamed});

describe('constraints, regularizers namespaces', () => {
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
