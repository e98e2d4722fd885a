import {describe, expect, it} from 'vitest';
import {Sequential, setSeed} from '@trellis/core';
import {dense} from '@trellis/layers';
import * as fs from 'node:fs/promises';
import {join} from 'node:path';
import {loadModel, saveModel} from '../src/index';
import {fileLocation, writeModelFolder, type FileSystem} from '../src/node-files';
import {shardBytes, weightDataBytes} from '../src/tfjs-format/weights';
import {data, filesIn, testRegistry, tf, values} from './helpers';
import {scratchDir, useScratchFolders} from './scratch';

const registry = testRegistry();
let dir = '';

useScratchFolders();

function make(seed: number): Sequential {
  setSeed(seed);
  return new Sequential([dense({units: 6, inputShape: [3], activation: 'relu'}), dense({units: 2})]);
}

async function artifactsOf(model: Sequential): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await saveModel(
    model,
    tf.io.withSaveHandler(async (a) => ((captured = a), {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}})),
  );
  return captured!;
}

/** The real file system, failing the `n`-th rename (a crash between writing and publishing a file). */
/** Expects `loaded` to predict what `saved` predicts on a new `[4, 3]` input. */
function expectSamePredictions(loaded: Awaited<ReturnType<typeof loadModel>>, saved: Sequential): void {
  const x = data([4, 3]);
  expect(Array.from(values(loaded.predict(x)))).toEqual(Array.from(values(saved.predict(x))));
  x.dispose();
}

function failingRename(n: number): FileSystem {
  let count = 0;
  return {
    ...fs,
    rename: async (from, to) => {
      if (++count === n) throw Object.assign(new Error('simulated crash'), {code: 'EIO'});
      return await fs.rename(from, to);
    },
  };
}

describe('atomic saves in Node', () => {
  for (const [what, n] of [
    ['while publishing model.json', 2],
    ['while publishing a shard', 1],
  ] as const) {
    it(`a save that fails ${what} leaves the previous model intact and no temporary file`, async () => {
      dir = await scratchDir();
      const a = make(1);
      const b = make(2);
      await saveModel(a, dir);
      const before = await filesIn(dir);
      const artifacts = await artifactsOf(b);
      await expect(
        writeModelFolder(fileLocation(dir)!, artifacts, shardBytes(weightDataBytes(artifacts.weightData)), failingRename(n)),
      ).rejects.toThrow('simulated crash');
      expect(await filesIn(dir)).toEqual(before);
      const loaded = await loadModel(dir, {registry});
      expectSamePredictions(loaded, a);
      for (const m of [a, b, loaded]) m.dispose();
    });
  }

  it('a second save replaces the first: new shards, the old ones removed', async () => {
    dir = await scratchDir();
    const a = make(1);
    const b = make(2);
    await saveModel(a, dir);
    const first = await filesIn(dir);
    await saveModel(b, dir);
    const second = await filesIn(dir);
    expect(second).toHaveLength(2);
    expect(second.filter((f) => first.includes(f))).toEqual(['model.json']);
    const loaded = await loadModel(join(dir, 'model.json'), {registry});
    expectSamePredictions(loaded, b);
    for (const m of [a, b, loaded]) m.dispose();
  });

  it('shards of a chosen size, read back whole', async () => {
    dir = await scratchDir();
    const a = make(3);
    await saveModel(a, dir, {shardBytes: 16});
    const json = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths.length).toBeGreaterThan(5);
    const loaded = await loadModel(dir, {registry});
    expectSamePredictions(loaded, a);
    for (const m of [a, loaded]) m.dispose();
  });

  it('refuses to save into a path that is a file', async () => {
    dir = await scratchDir();
    await fs.writeFile(join(dir, 'taken'), 'x');
    const a = make(4);
    await expect(saveModel(a, join(dir, 'taken'))).rejects.toThrow(/is a file/);
    a.dispose();
  });

  it('reads file:// URLs and plain paths alike', () => {
    expect(fileLocation('file:///tmp/m')).toEqual({dir: '/tmp/m', file: 'model.json'});
    expect(fileLocation('file://./m/')).toEqual({dir: './m', file: 'model.json'});
    expect(fileLocation('./m/model.json')).toEqual({dir: './m', file: 'model.json'});
    expect(fileLocation('m.json')).toEqual({dir: '.', file: 'm.json'});
    expect(fileLocation('indexeddb://m')).toBeNull();
    expect(fileLocation('https://example.com/m/model.json')).toBeNull();
  });
});
