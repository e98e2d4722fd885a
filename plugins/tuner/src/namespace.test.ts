// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describeNamespaces} from '@trellis/testing';
import {expect, it} from 'vitest';
import * as api from './index';
import {tuner} from './index';

// Value exports that are not factories: the HyperParameters and Tuner classes.
describeNamespaces(api, {tuner}, {notFactories: ['HyperParameters', 'Tuner']}, () => {
  it('holds the flat exports', () => {
    expect(tuner.hyperband).toBe(api.hyperband);
    expect(tuner.randomSearch).toBe(api.randomSearch);
  });
});
