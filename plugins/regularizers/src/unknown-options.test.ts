import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, createRegistry, type Kind} from '@trellis/core';
import {catchError, describeUnknownOptions, expectSpecConfigRefused, specCases, type UnknownOptionCase} from '@trellis/testing';
import {beforeAll, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, UnknownOptionCase> = {
  l1: [api.l1, 'l1'],
  l2: [api.l2, 'l2'],
  l1l2: [api.l1l2, 'l2'],
  orthogonalRegularizer: [api.orthogonalRegularizer, 'mode'],
  maxNorm: [api.maxNorm, 'maxValue'],
  minMaxNorm: [api.minMaxNorm, 'minValue'],
  unitNorm: [api.unitNorm, 'axis'],
};

describeUnknownOptions(api, {takesOptions, noOptions: ['constraints', 'nonNeg', 'regularizers', 'regularizersPlugin']}, () => {
  it('every registered id refuses an unknown key in its spec config', async () => {
    const registry = createRegistry(api.regularizersPlugin);
    const byId = specCases(takesOptions);
    const kinds: Kind[] = ['regularizer', 'constraint'];
    for (const kind of kinds) {
      for (const id of registry.ids(kind)) {
        if (id === 'trellis/nonNeg') {
          const error = catchError(() => registry.resolve(kind, {id, config: {axis: 0}}));
          expect(ConfigError.is(error)).toBe(true);
          expect(error.message).toContain("nonNeg takes no options; got 'axis'");
          continue;
        }
        // The deprecated former id is an alias of `trellis/orthogonal`.
        const entry = byId.get(id === 'trellis/orthogonalRegularizer' ? 'trellis/orthogonal' : id);
        expect(entry, id).toBeDefined();
        await expectSpecConfigRefused(registry, kind, id, {who: entry!.who, key: entry!.key});
      }
    }
  });

  it('refuses options that are not objects', () => {
    expect(() => api.orthogonalRegularizer('rows' as never)).toThrow(ConfigError);
    expect(() => (api.unitNorm as (...args: unknown[]) => unknown)({axis: 0}, 1)).toThrow(ConfigError);
  });
});
