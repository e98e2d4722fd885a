// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describeNamespaces} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import * as api from './index';
import {tuner} from './index';

const namespaces = {tuner} as const;
// Value exports that are not factories: the HyperParameters and Tuner classes.
const notFactories: readonly string[] = ['HyperParameters', 'Tuner'];

describeNamespaces(api, namespaces, {notFactories});

describe('tuner namespace', () => {
  it('holds the flat exports', () => {
    expect(tuner.hyperband).toBe(api.hyperband);
    expect(tuner.randomSearch).toBe(api.randomSearch);
  });
});
