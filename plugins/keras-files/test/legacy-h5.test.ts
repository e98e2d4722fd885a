import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {readLegacyH5, writeLegacyH5, type LegacyH5Model} from '../src/index';
import type {File as H5File, Group as H5Group} from 'h5wasm';
import {ensureGroup, withH5Reader, withH5Writer} from '../src/h5';
import {DEFAULT_LIMITS} from '../src/limits';
import {expectFileError, f32, sampleLegacy} from './helpers';

describe('readLegacyH5 / writeLegacyH5', () => {
  it('round-trips configs, versions, layers in layer_names order, weights and optimizer weights', async () => {
    const input = sampleLegacy();
    expect(await readLegacyH5(await writeLegacyH5(input))).toEqual(input);
  });

  it('fills in keras_version and backend and leaves out what is not given', async () => {
    const {trainingConfig: _t, kerasVersion: _k, backend: _b, topLevelWeights: _w, optimizerWeights: _o, ...bare} = sampleLegacy();
    const model = await readLegacyH5(await writeLegacyH5(bare));
    expect(model.kerasVersion).toBe('3.15.1');
    expect(model.backend).toBe('jax');
    expect(model.trainingConfig).toBeUndefined();
    expect(model.optimizerWeights).toBeUndefined();
    expect(model.topLevelWeights).toEqual([]);
  });

  it('splits long name lists as Keras does (weight_names0, weight_names1, ...) and reads them back', async () => {
    const weights = Array.from({length: 1000}, (_, i) => ({
      name: `model/a_rather_long_layer_name_to_fill_the_header/weight_number_${i}`,
      array: f32([1], i),
    }));
    const input: LegacyH5Model = {...sampleLegacy(), layers: [{name: 'big', weights}]};
    const bytes = await writeLegacyH5(input);
    expect(await readLegacyH5(bytes)).toEqual(input);
    const attrs = await withH5Reader(bytes, 'm.h5', 'HDF5', DEFAULT_LIMITS, (reader) =>
      ['weight_names', 'weight_names0', 'weight_names1', 'weight_names2'].map((n) => reader.hasAttribute('/model_weights/big', n)),
    );
    expect(attrs).toEqual([false, true, true, false]);
  });

  it('refuses files without a model config, or with one that is not JSON', async () => {
    const noConfig = await withH5Writer((file) => {
      file.create_group('model_weights');
    });
    await expectFileError(readLegacyH5(noConfig), 'invalid', 'HDF5: attribute model_config');
    const notJson = await withH5Writer((file) => {
      file.create_attribute('model_config', '{"class_name": "Sequential", ');
      file.create_group('model_weights');
    });
    const error = await expectFileError(readLegacyH5(notJson), 'invalid', 'HDF5: attribute model_config');
    expect(error.message).toMatch(/^model\.h5, HDF5: attribute model_config: not valid JSON/);
    const noWeights = await withH5Writer((file) => {
      file.create_attribute('model_config', '{"class_name": "Sequential", "config": {}}');
    });
    await expectFileError(readLegacyH5(noWeights), 'invalid', 'HDF5: /model_weights');
  });

  it('refuses listed layers or weights that are missing, links, and path tricks', async () => {
    const config = '{"class_name": "Sequential", "config": {}}';
    const missingLayer = await withH5Writer((file) => {
      file.create_attribute('model_config', config);
      file.create_group('model_weights').create_attribute('layer_names', ['dense'], [1]);
    });
    await expectFileError(readLegacyH5(missingLayer), 'invalid', 'HDF5: /model_weights/dense');
    /** A file listing the layer `dense` whose `weight_names` are `names`; `more` adds to it. */
    const denseWeights = (names: string[], more?: (file: H5File, dense: H5Group) => void) =>
      withH5Writer((file) => {
        file.create_attribute('model_config', config);
        const w = file.create_group('model_weights');
        w.create_attribute('layer_names', ['dense'], [1]);
        const dense = w.create_group('dense');
        dense.create_attribute('weight_names', names, [1]);
        more?.(file, dense);
      });
    const missingWeight = await denseWeights(['dense/kernel']);
    await expectFileError(readLegacyH5(missingWeight), 'invalid', 'HDF5: /model_weights/dense/dense');
    const traversal = await denseWeights(['../../x']);
    await expectFileError(readLegacyH5(traversal), 'invalid', 'HDF5: /model_weights/dense');
    const link = await denseWeights(['kernel'], (file, dense) => {
      ensureGroup(file, 'elsewhere').create_dataset({name: 'k', data: Float32Array.of(1), shape: [1], dtype: '<f'});
      dense.create_soft_link('/elsewhere/k', 'kernel');
    });
    await expectFileError(readLegacyH5(link), 'unsafe', 'HDF5: /model_weights/dense/kernel');
  });

  it('reports truncated files and oversized datasets with the part', async () => {
    const bytes = await writeLegacyH5(sampleLegacy());
    for (const cut of [1, 100, Math.floor(bytes.length / 2)]) {
      await expectFileError(readLegacyH5(bytes.subarray(0, bytes.length - cut), undefined, 'm.h5'), 'truncated', 'HDF5');
    }
    await expectFileError(readLegacyH5(bytes, {maxDatasetBytes: 16}), 'limit', 'HDF5: /model_weights/dense/sequential/dense/kernel');
  });

  it('checks what it writes', async () => {
    const base = sampleLegacy();
    await expect(writeLegacyH5({...base, modelConfig: 'x'})).rejects.toThrow(ConfigError);
    await expect(writeLegacyH5({...base, layers: [{name: 'a/b', weights: []}]})).rejects.toThrow(ConfigError);
    await expect(
      writeLegacyH5({
        ...base,
        layers: [
          {name: 'a', weights: []},
          {name: 'a', weights: []},
        ],
      }),
    ).rejects.toThrow(/twice/);
    await expect(writeLegacyH5({...base, layers: [{name: 'a', weights: [{name: 'x/../y', array: f32([1])}]}]})).rejects.toThrow(
      ConfigError,
    );
    await expect(
      writeLegacyH5({
        ...base,
        layers: [
          {
            name: 'a',
            weights: [
              {name: 'k', array: f32([1])},
              {name: 'k', array: f32([1])},
            ],
          },
        ],
      }),
    ).rejects.toThrow(/twice/);
    await expect(
      writeLegacyH5({...base, optimizerWeights: [{name: 'i', array: {dtype: 'int64', shape: [2], values: BigInt64Array.of(1n)}}]}),
    ).rejects.toThrow(/holds 2 values/);
  });
});
