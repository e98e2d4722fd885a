// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {callbacks} from './index';

// Value exports that are not factories: the plugin.
describeNamespaces(api, {callbacks}, {notFactories: ['callbacksPlugin']}, () => {
  it('is typed as the flat exports', () => {
    expect(callbacks.earlyStopping).toBe(api.earlyStopping);
    expectTypeOf(callbacks.reduceLROnPlateau).toEqualTypeOf(api.reduceLROnPlateau);
  });
});
