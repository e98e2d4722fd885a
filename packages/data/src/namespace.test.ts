// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {data} from './index';

// Value exports that are not factories: the fashionMnistClasses constant.
describeNamespaces(api, {data}, {notFactories: ['fashionMnistClasses']}, () => {
  it('is typed as the flat exports', () => {
    expect(data.parseIdx).toBe(api.parseIdx);
    expect(data.loadFashionMnist).toBe(api.loadFashionMnist);
    expectTypeOf(data.parseIdx).toEqualTypeOf(api.parseIdx);
  });
});
