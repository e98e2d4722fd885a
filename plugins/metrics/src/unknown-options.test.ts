import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {createRegistry} from '@trellis/core';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

type Made = {readonly spec: {readonly id: string}};

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, readonly [(options?: never) => Made, string]> = {
  accuracy: [api.accuracy, 'name'],
  binaryAccuracy: [api.binaryAccuracy, 'threshold'],
  categoricalAccuracy: [api.categoricalAccuracy, 'name'],
  sparseCategoricalAccuracy: [api.sparseCategoricalAccuracy, 'name'],
};

/** Exports without an options object. */
const noOptions = ['StreamingMetric', 'metrics', 'metricsPlugin'];

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

  it('every registered id refuses a misspelled option in its spec config', async () => {
    const registry = createRegistry(api.metricsPlugin);
    const byId = new Map(Object.entries(takesOptions).map(([who, [make, key]]) => [make().spec.id, {who, key}]));
    const ids = registry.ids('metric');
    expect([...byId.keys()].sort()).toEqual(ids);
    for (const id of ids) {
      const {who, key} = byId.get(id)!;
      await expectRefused(() => registry.resolve('metric', {id, config: {[typo(key)]: 1}}), who, key);
    }
  });

  it("accuracy({threshhold}) is refused: accuracy has no threshold (binaryAccuracy does)", () => {
    expect(() => api.accuracy({threshhold: 0.5} as never)).toThrow(/accuracy does not know the option 'threshhold'; it takes 'name'/);
    expect(() => api.binaryAccuracy({threshhold: 0.5} as never)).toThrow(/did you mean 'threshold'\?/);
  });
});
