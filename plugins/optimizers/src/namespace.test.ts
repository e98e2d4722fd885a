// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {optimizers} from './index';

const namespaces = {optimizers} as const;
// Value exports that are not factories: authoring helpers (defineOptimizer, slotTransform, stateless, mapNamed), the tfjs adapter and its class, and the plugin.
const notFactories: readonly string[] = [
  'defineOptimizer',
  'slotTransform',
  'stateless',
  'mapNamed',
  'toTfjsOptimizer',
  'TrellisTfjsOptimizer',
  'optimizersPlugin',
];
// Flat names bent to dodge clashes -> their plain namespace member.
const renamed: Record<string, unknown> = {};

describeNamespaces(api, namespaces, {notFactories, renamed});

describe('optimizers namespace', () => {
  it('is typed as the flat exports', () => {
    expect(optimizers.accumulateGradients).toBe(api.accumulateGradients);
    expect(optimizers.adadelta).toBe(api.adadelta);
    expectTypeOf(optimizers.accumulateGradients).toEqualTypeOf(api.accumulateGradients);
  });
});
