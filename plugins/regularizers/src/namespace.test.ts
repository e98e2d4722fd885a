// The namespaces reach every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {expect, expectTypeOf, it} from 'vitest';
import {createRegistry} from '@trellis/core';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {constraints, regularizers} from './index';

describeNamespaces(
  api,
  {constraints, regularizers},
  {
    // Value exports that are not factories: the plugin.
    notFactories: ['regularizersPlugin'],
    // Deprecated flat names bent to dodge clashes -> their plain namespace member.
    renamed: {orthogonalRegularizer: regularizers.orthogonal},
    callFactories: true,
  },
  () => {
    it('are typed as the flat exports', () => {
      expect(regularizers.l1).toBe(api.l1);
      expect(regularizers.l2).toBe(api.l2);
      expectTypeOf(regularizers.l1).toEqualTypeOf(api.l1);
      expect(constraints.maxNorm).toBe(api.maxNorm);
      expect(constraints.minMaxNorm).toBe(api.minMaxNorm);
      expectTypeOf(constraints.maxNorm).toEqualTypeOf(api.maxNorm);
      expect(regularizers.orthogonal).toBe(api.orthogonalRegularizer);
    });

    it('gives the orthogonal regularizer the id trellis/orthogonal, and keeps loading the deprecated one', () => {
      const registry = createRegistry(api.regularizersPlugin);
      const regularizer = regularizers.orthogonal({factor: 0.5, mode: 'columns'});
      expect(regularizer.spec).toEqual({id: 'trellis/orthogonal', config: {factor: 0.5, mode: 'columns'}});
      expect(registry.resolve('regularizer', regularizer.spec).spec).toEqual(regularizer.spec);
      expect(registry.resolve('regularizer', {id: 'trellis/orthogonalRegularizer', config: {factor: 0.5, mode: 'columns'}}).spec).toEqual(
        regularizer.spec,
      );
    });
  },
);
