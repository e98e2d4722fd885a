// Files written by Keras 3.15.1 itself (test/fixtures, see make_fixtures.py): read them, write
// them back, read the result again.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {kerasLayerPaths, readKerasArchive, readLegacyH5, writeKerasArchive, writeLegacyH5, type KerasArray} from '../src/index';

const fixtures = join(import.meta.dirname, 'fixtures');
const read = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

interface Expected {
  dtype: string;
  shape: number[];
  values: number[];
}
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
  mlp: {weights: Expected[]; weightPaths: string[]; optimizer: Expected[]; optimizerPaths: string[]};
  mixed: {weights: Expected[]; dtypes: string[]};
};

function expectArrays(ours: readonly KerasArray[], theirs: readonly Expected[]): void {
  expect(ours.map((a) => [a.dtype, a.shape])).toEqual(theirs.map((e) => [e.dtype, e.shape]));
  ours.forEach((a, i) => expect(Array.from(a.values, Number)).toEqual(theirs[i]!.values));
}

describe('files written by Keras 3.15.1', () => {
  it('mlp.keras: config, weights in get_weights() order, optimizer variables', async () => {
    const archive = await readKerasArchive(read('mlp.keras'));
    expect(archive.metadata).toMatchObject({keras_version: '3.15.1'});
    const paths = kerasLayerPaths(archive.config);
    expect(paths).toEqual(['layers/dense', 'layers/dropout', 'layers/dense_1']);
    expectArrays(
      paths.flatMap((p) => archive.weights.layers[p]!),
      expected.mlp.weights,
    );
    expect(archive.weights.names).toEqual({
      '': 'sequential',
      'layers/dense': 'dense',
      'layers/dropout': 'dropout',
      'layers/dense_1': 'dense_1',
    });
    expectArrays(archive.optimizer.vars['optimizer']!, expected.mlp.optimizer);
    expect(archive.optimizer.names).toEqual({optimizer: 'adam'});
    const again = await readKerasArchive(await writeKerasArchive(archive));
    expect(again).toEqual(archive);
  });

  it('mlp.h5: model_config, training_config, weights by layer, optimizer weights by path', async () => {
    const model = await readLegacyH5(read('mlp.h5'));
    expect(model.modelConfig).toMatchObject({class_name: 'Sequential', config: {name: 'sequential'}});
    expect(model.modelConfig).not.toHaveProperty('module');
    expect(model.trainingConfig).toMatchObject({loss: 'sparse_categorical_crossentropy', optimizer_config: {class_name: 'Adam'}});
    expect(model.kerasVersion).toBe('3.15.1');
    expect(model.backend).toBe('jax');
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dropout', 'dense_1']);
    expect(model.layers.flatMap((l) => l.weights.map((w) => w.name))).toEqual(expected.mlp.weightPaths);
    expectArrays(
      model.layers.flatMap((l) => l.weights.map((w) => w.array)),
      expected.mlp.weights,
    );
    expect(model.topLevelWeights).toEqual([]);
    expect(model.optimizerWeights!.map((w) => w.name)).toEqual(expected.mlp.optimizerPaths);
    expectArrays(
      model.optimizerWeights!.map((w) => w.array),
      expected.mlp.optimizer,
    );
    const again = await readLegacyH5(await writeLegacyH5(model));
    expect(again).toEqual(model);
  });

  it('mixed-precision.keras: float16 and bfloat16 (opaque, tagged) weights, widened exactly', async () => {
    const archive = await readKerasArchive(read('mixed-precision.keras'));
    const arrays = kerasLayerPaths(archive.config).flatMap((p) => archive.weights.layers[p]!);
    expect(arrays.map((a) => a.dtype)).toEqual(expected.mixed.dtypes);
    arrays.forEach((a, i) => {
      expect(a.values).toBeInstanceOf(Float32Array);
      expect(Array.from(a.values, Number)).toEqual(expected.mixed.weights[i]!.values);
    });
    await expect(writeKerasArchive(archive)).rejects.toThrow(/float16 is read but not written/);
  });
});
