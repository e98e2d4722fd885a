// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {initializers} from './index';

const namespaces = {initializers} as const;
// Value exports that are not factories: helpers, constants and the plugin.
const notFactories: readonly string[] = ['computeFans', 'TRUNCATED_NORMAL_STDDEV', 'initializersPlugin'];
// Deprecated flat names bent to dodge clashes -> their plain namespace member.
const renamed: Record<string, unknown> = {
  identityInitializer: initializers.identity,
};

describeNamespaces(api, namespaces, {notFactories, renamed, callFactories: true});

describe('initializers namespace', () => {
  it('is typed as the flat exports', () => {
    expect(initializers.constant).toBe(api.constant);
    expect(initializers.glorotNormal).toBe(api.glorotNormal);
    expectTypeOf(initializers.constant).toEqualTypeOf(api.constant);
    expect(initializers.identity).toBe(api.identityInitializer);
  });
});
