// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {data} from './index';

const namespaces = {data} as const;
// Value exports that are not factories: the fashionMnistClasses constant.
const notFactories: readonly string[] = ['fashionMnistClasses'];
// Flat names bent to dodge clashes -> their plain namespace member.
const renamed: Record<string, unknown> = {};

describeNamespaces(api, namespaces, {notFactories, renamed});

describe('data namespace', () => {
  it('is typed as the flat exports', () => {
    expect(data.parseIdx).toBe(api.parseIdx);
    expect(data.loadFashionMnist).toBe(api.loadFashionMnist);
    expectTypeOf(data.parseIdx).toEqualTypeOf(api.parseIdx);
  });
});
