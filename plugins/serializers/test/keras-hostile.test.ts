// Hostile and damaged Keras files: every one gives a typed Trellis error, and nothing is left
// allocated (tf.memory().numTensors is what it was before the load).
import {describe, expect, it} from 'vitest';
import {ConfigError, FormatError, Sequential, ShapeError, UnknownIdError, isTrellisError, setSeed} from '@trellis/core';
import {batchNormalization, dense, dropout} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {readKerasArchive, writeKerasArchive, type KerasArchive} from '@trellis/keras-files';
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {KerasFilesMissingError, loadModel, loadWeights, saveModel} from '../src/index';
import {testRegistry, tf} from './helpers';
import {scratchDir, useScratchFolders} from './scratch';

const registry = testRegistry();
let dir = '';

useScratchFolders();

/** A trained MLP saved as `model.keras` in a fresh folder; returns the archive's bytes. */
async function savedArchive(): Promise<Uint8Array> {
  dir = await scratchDir();
  setSeed(5);
  const model = new Sequential([
    dense({units: 4, activation: 'relu', inputShape: [3]}),
    dropout({rate: 0.5}),
    batchNormalization(),
    dense({units: 2}),
  ]);
  model.compile({optimizer: adam(), loss: 'meanSquaredError', registry});
  await model.trainOnBatch(tf.ones([2, 3]), tf.ones([2, 2]));
  await saveModel(model, join(dir, 'model.keras'));
  model.dispose();
  return new Uint8Array(await readFile(join(dir, 'model.keras')));
}

/** Writes `edit(archive)` as `bad.keras` and returns its path. */
async function edited(edit: (archive: KerasArchive) => KerasArchive): Promise<string> {
  const archive = await readKerasArchive(await savedArchive());
  const path = join(dir, 'bad.keras');
  await writeFile(path, await writeKerasArchive(edit(archive)));
  return path;
}

/** Loads `path`, expecting an error of class `type` whose message matches `message`; no tensor may leak. */
async function expectRefused(path: string, type: abstract new (...args: never[]) => Error, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  const error = await loadModel(path, {registry}).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isTrellisError(error), String(error)).toBe(true);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

type Layers = {config: {layers: {class_name: string; config: Record<string, unknown>}[]}};

describe('hostile .keras files', () => {
  it('a truncated zip is a FormatError naming the file', async () => {
    const bytes = await savedArchive();
    const path = join(dir, 'truncated.keras');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRefused(path, FormatError, /truncated\.keras/);
  });

  it('random bytes are a FormatError', async () => {
    dir = await scratchDir();
    const path = join(dir, 'noise.keras');
    await writeFile(
      path,
      new Uint8Array(4096).map((_, i) => (i * 131) % 251),
    );
    await expectRefused(path, FormatError, /noise\.keras/);
  });

  it('a weight of the wrong shape is a ShapeError naming the weight', async () => {
    const path = await edited((a) => {
      const kernel = a.weights.layers['layers/dense']![0]!;
      const layers = {...a.weights.layers, 'layers/dense': [{...kernel, shape: [4, 3]}, a.weights.layers['layers/dense']![1]!]};
      return {...a, weights: {...a.weights, layers}};
    });
    await expectRefused(path, ShapeError, /dense\/kernel/);
  });

  it('missing weights of a layer are a FormatError naming the layer', async () => {
    const path = await edited((a) => {
      const {'layers/dense_1': _gone, ...layers} = a.weights.layers;
      return {...a, weights: {...a.weights, layers}};
    });
    await expectRefused(path, FormatError, /dense_1/);
  });

  it('a layer with a variable too few is a FormatError naming the layer', async () => {
    const path = await edited((a) => ({
      ...a,
      weights: {
        ...a.weights,
        layers: {...a.weights.layers, 'layers/batch_normalization': a.weights.layers['layers/batch_normalization']!.slice(0, 3)},
      },
    }));
    await expectRefused(path, FormatError, /batch_normalization/);
  });

  it('an unknown layer class (a Lambda) is an UnknownIdError listing the known classes', async () => {
    const path = await edited((a) => {
      const config = structuredClone(a.config) as unknown as Layers;
      config.config.layers[1] = {class_name: 'Lambda', config: {name: 'lambda', function: {class_name: '__lambda__', config: {}}}};
      return {...a, config: config as never};
    });
    await expectRefused(path, UnknownIdError, /Lambda[\s\S]*Dense/);
  });

  it('an optimizer state of another optimizer is a typed error', async () => {
    const path = await edited((a) => ({...a, optimizer: {vars: {optimizer: a.optimizer.vars['optimizer']!.slice(0, 5)}}}));
    await expectRefused(path, Error, /optimizer variables/);
  });

  it('a missing file is a DataError; a Keras format for a URL is a ConfigError', async () => {
    dir = await scratchDir();
    await expect(loadModel(join(dir, 'none.keras'), {registry})).rejects.toSatisfy(isTrellisError);
    await expect(loadModel('indexeddb://m.keras', {registry, format: 'keras'})).rejects.toBeInstanceOf(ConfigError);
  });

  it('a .weights.h5 of another model is refused before a weight changes', async () => {
    dir = await scratchDir();
    const a = new Sequential([dense({units: 4, inputShape: [3]})]);
    const b = new Sequential([dense({units: 5, inputShape: [3]})]);
    await saveModel(a, join(dir, 'a.keras'));
    const {saveWeights} = await import('../src/index');
    await saveWeights(a, join(dir, 'a.weights.h5'));
    const before = b.getWeights();
    await expect(loadWeights(b, join(dir, 'a.weights.h5'))).rejects.toBeInstanceOf(ShapeError);
    const after = b.getWeights();
    expect(Array.from(after['dense/kernel']!.dataSync())).toEqual(Array.from(before['dense/kernel']!.dataSync()));
    tf.dispose([...Object.values(before), ...Object.values(after)]);
    a.dispose();
    b.dispose();
  });

  it('KerasFilesMissingError is a ConfigError that says what to install', () => {
    const error = new KerasFilesMissingError("saveModel(model, 'm.keras')");
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/npm install @trellis\/keras-files/);
  });
});
