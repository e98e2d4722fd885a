// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {optimizers} from './index';

describeNamespaces(
  api,
  {optimizers},
  {
    // Value exports that are not factories: authoring helpers, the tfjs adapter and its class, and the plugin.
    notFactories: [
      'defineOptimizer',
      'slotTransform',
      'stateless',
      'mapNamed',
      'toTfjsOptimizer',
      'TrellisTfjsOptimizer',
      'optimizersPlugin',
    ],
  },
  () => {
    it('is typed as the flat exports', () => {
      expect(optimizers.accumulateGradients).toBe(api.accumulateGradients);
      expect(optimizers.adadelta).toBe(api.adadelta);
      expectTypeOf(optimizers.accumulateGradients).toEqualTypeOf(api.accumulateGradients);
    });
  },
);
