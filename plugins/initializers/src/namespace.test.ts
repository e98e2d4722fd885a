// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {initializers} from './index';

describeNamespaces(
  api,
  {initializers},
  {
    // Value exports that are not factories: helpers, constants and the plugin.
    notFactories: ['computeFans', 'TRUNCATED_NORMAL_STDDEV', 'initializersPlugin'],
    // Deprecated flat names bent to dodge clashes -> their plain namespace member.
    renamed: {identityInitializer: initializers.identity},
    callFactories: true,
  },
  () => {
    it('is typed as the flat exports', () => {
      expect(initializers.constant).toBe(api.constant);
      expect(initializers.glorotNormal).toBe(api.glorotNormal);
      expectTypeOf(initializers.constant).toEqualTypeOf(api.constant);
      expect(initializers.identity).toBe(api.identityInitializer);
    });
  },
);
