// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describeNamespaces} from '@trellis/testing';
import {expect, expectTypeOf, it} from 'vitest';
import * as api from './index';
import {plots} from './index';

describeNamespaces(api, {plots}, {notFactories: ['isPlotEvent']}, () => {
  it('is typed as the flat exports', () => {
    expect(plots.liveLossPlot).toBe(api.liveLossPlot);
    expectTypeOf(plots.logFeed).toEqualTypeOf(api.logFeed);
  });
});
