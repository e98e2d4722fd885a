import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, createRegistry, type Kind} from '@trellis/core';
import {catchError, expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

type Made = {readonly spec: {readonly id: string; readonly config: object}};

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, readonly [(options?: never) => Made, string]> = {
  l1: [api.l1, 'l1'],
  l2: [api.l2, 'l2'],
  l1l2: [api.l1l2, 'l2'],
  orthogonalRegularizer: [api.orthogonalRegularizer, 'mode'],
  maxNorm: [api.maxNorm, 'maxValue'],
  minMaxNorm: [api.minMaxNorm, 'minValue'],
  unitNorm: [api.unitNorm, 'axis'],
};

/** Exports without an options object. */
const noOptions = ['constraints', 'nonNeg', 'regularizers', 'regularizersPlugin'];

/** A misspelling one edit away from `key`. */
const typo = misspell;

const expectRefused = expectUnknownOptionRefused;

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [make, key]) => {
    await expectRefused(() => make({[typo(key)]: 1} as never), who, key);
  });

  it('every registered id refuses an unknown key in its spec config', async () => {
    const registry = createRegistry(api.regularizersPlugin);
    const byId = new Map(Object.entries(takesOptions).map(([who, [make, key]]) => [make().spec.id, {who, key}]));
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
        await expectRefused(() => registry.resolve(kind, {id, config: {[typo(entry!.key)]: 1}}), entry!.who, entry!.key);
      }
    }
  });

  it('refuses options that are not objects', () => {
    expect(() => api.orthogonalRegularizer('rows' as never)).toThrow(ConfigError);
    expect(() => (api.unitNorm as (...args: unknown[]) => unknown)({axis: 0}, 1)).toThrow(ConfigError);
  });
});
