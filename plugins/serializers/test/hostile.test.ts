import {describe, expect, it} from 'vitest';
import {DataError, FormatError, Sequential, ShapeError, StateError, UnknownIdError} from '@trellis/core';
import {dense} from '@trellis/layers';
import {catchErrorAsync} from '@trellis/testing';
import {readFile, readdir, truncate, unlink, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {loadModel, loadWeights, saveModel, saveWeights} from '../src/index';
import {testRegistry, tf} from './helpers';
import {scratchDir, useScratchFolders} from './scratch';

const registry = testRegistry();
let dir = '';

useScratchFolders();

function small(): Sequential {
  return new Sequential([dense({units: 3, inputShape: [4], name: 'a'}), dense({units: 2, name: 'b'})]);
}

async function saved(): Promise<{json: Record<string, any>; shard: string}> {
  dir = await scratchDir();
  const m = small();
  await saveModel(m, dir);
  m.dispose();
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  return {json, shard: join(dir, json.weightsManifest[0].paths[0])};
}

async function rewrite(json: unknown): Promise<void> {
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
}

/** The error of loading `dir`, after checking that no tensor was left behind. */
async function loadError(options = {}): Promise<Error> {
  const before = tf.memory().numTensors;
  const error = await catchErrorAsync(() => loadModel(dir, {registry, ...options}));
  expect(tf.memory().numTensors).toBe(before);
  return error as Error;
}

describe('hostile and damaged files', () => {
  it('a truncated shard is a FormatError naming the file', async () => {
    const {shard} = await saved();
    await truncate(shard, 10);
    const error = await loadError();
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toContain(shard);
    expect(error.message).toContain('truncated');
  });

  it('a model.json naming a missing weight file is a FormatError naming it', async () => {
    const {shard} = await saved();
    await unlink(shard);
    const error = await loadError();
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toContain(shard);
  });

  it('a truncated model.json is a FormatError naming the file', async () => {
    await saved();
    const text = await readFile(join(dir, 'model.json'), 'utf8');
    await writeFile(join(dir, 'model.json'), text.slice(0, text.length / 2));
    const error = await loadError();
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toMatch(/model\.json is not valid JSON/);
  });

  it('missing or mistyped fields are FormatErrors naming the part', async () => {
    const {json} = await saved();
    const cases: [unknown, RegExp][] = [
      [{...json, weightsManifest: undefined}, /weightsManifest field is missing/],
      [{...json, weightsManifest: [{paths: 'x', weights: []}]}, /weightsManifest\[0\]/],
      [
        {...json, weightsManifest: [{...json.weightsManifest[0], weights: [{name: 'a/kernel', shape: [4, -3], dtype: 'float32'}]}]},
        /weights\[0\].*shape/,
      ],
      [{...json, weightsManifest: [{...json.weightsManifest[0], weights: [{name: 'a/kernel', shape: [4, 3], dtype: 'string'}]}]}, /dtype/],
      [{...json, modelTopology: undefined}, /modelTopology is missing/],
      [{...json, modelTopology: 7}, /modelTopology must be/],
      [{...json, userDefinedMetadata: {trellis: {format: 'other'}}}, /userDefinedMetadata\.trellis/],
      [
        {...json, userDefinedMetadata: {trellis: {...json.userDefinedMetadata.trellis, optimizer: {step: 1, state: {t: 'nope'}}}}},
        /optimizer\.state/,
      ],
      [
        {...json, modelTopology: {class_name: 'Model', config: {layers: [], input_layers: [['x', 0, 0]], output_layers: [['x', 0, 0]]}}},
        /input_layers/,
      ],
    ];
    for (const [bad, message] of cases) {
      await rewrite(bad);
      const error = await loadError();
      expect(error, String(message)).toBeInstanceOf(FormatError);
      expect(error.message).toMatch(message);
    }
  });

  it('shard paths cannot leave the folder', async () => {
    const {json} = await saved();
    for (const path of ['../outside.bin', '/etc/passwd', 'sub/x.bin', 'C:\\x.bin', 'http://example.com/x.bin', '..']) {
      await rewrite({...json, weightsManifest: [{...json.weightsManifest[0], paths: [path]}]});
      const error = await loadError();
      expect(error, path).toBeInstanceOf(FormatError);
      expect(error.message).toMatch(/plain file name/);
    }
  });

  it('a wrong weight shape is a ShapeError naming the weight (consistent bytes, wrong architecture)', async () => {
    const {json} = await saved();
    const topology = json.modelTopology;
    topology.config.layers[0].config.units = 2; // a: [4, 2], but the file holds [4, 3]
    topology.config.layers[0].config.name = 'a';
    await rewrite(json);
    const error = await loadError();
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain("'a/kernel'");
  });

  it('an unknown class and a Lambda are UnknownIdErrors listing the known classes', async () => {
    const {json} = await saved();
    for (const className of ['Lambda', 'TFOpLambda', 'acme>Custom']) {
      const bad = structuredClone(json);
      bad.modelTopology.config.layers[1] = {
        class_name: className,
        config: {name: 'b', function: ['x => globalThis.pwned = 1', null, null], module: 'os'},
      };
      await rewrite(bad);
      const error = await loadError();
      expect(error, className).toBeInstanceOf(UnknownIdError);
      expect((error as UnknownIdError).knownIds).toContain('Dense');
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    }
  });

  it('limits sizes: maxBytes and maxJsonBytes', async () => {
    await saved();
    expect(await loadError({maxBytes: 10})).toBeInstanceOf(FormatError);
    const error = await loadError({maxJsonBytes: 100});
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toMatch(/maxJsonBytes/);
  });

  it('huge shapes are refused before anything is read', async () => {
    const {json} = await saved();
    await rewrite({
      ...json,
      weightsManifest: [{...json.weightsManifest[0], weights: [{name: 'a/kernel', shape: [2 ** 30, 2 ** 30], dtype: 'float32'}]}],
    });
    expect(await loadError()).toBeInstanceOf(FormatError);
  });

  it('no model at the URL is a DataError', async () => {
    dir = await scratchDir();
    expect(await loadError()).toBeInstanceOf(DataError);
  });

  it('loadWeights checks every name and shape before it sets any weight', async () => {
    dir = await scratchDir();
    const source = small();
    await saveWeights(source, dir);
    const target = new Sequential([dense({units: 3, inputShape: [4], name: 'a'}), dense({units: 2, name: 'c'})]);
    const before = target.getWeights();
    const error = await catchErrorAsync(() => loadWeights(target, dir));
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toContain('b/kernel');
    const after = target.getWeights();
    for (const name of Object.keys(before)) expect(Array.from(after[name]!.dataSync())).toEqual(Array.from(before[name]!.dataSync()));
    await loadWeights(target, dir, {strict: false});
    expect(Array.from(target.getWeights()['a/kernel']!.dataSync())).toEqual(Array.from(source.getWeights()['a/kernel']!.dataSync()));
    const wrong = new Sequential([dense({units: 5, inputShape: [4], name: 'a'}), dense({units: 2, name: 'b'})]);
    await expect(loadWeights(wrong, dir)).rejects.toThrow(ShapeError);
    tf.dispose([...Object.values(before), ...Object.values(after)]);
    for (const m of [source, target, wrong]) m.dispose();
  });

  it('writes nothing outside the target folder', async () => {
    const root = await scratchDir();
    const target = join(root, 'nested', 'model');
    const m = small();
    await saveModel(m, target);
    expect(await readdir(root)).toEqual(['nested']);
    expect(await readdir(dirname(target))).toEqual(['model']);
    const files = await readdir(target);
    expect(files.every((f) => f === 'model.json' || /^group1-shard\d+of\d+\.[0-9a-f]{8}\.bin$/.test(f))).toBe(true);
    m.dispose();
  });

  it('weight data of the wrong type from an io handler is a FormatError (found by load.fuzz.test.ts)', async () => {
    const {json} = await saved();
    const {weightsManifest, ...fields} = json;
    for (const weightData of [[-1], -1, 'bytes', {length: 3}, [new ArrayBuffer(4), 7]]) {
      const before = tf.memory().numTensors;
      const error = await catchErrorAsync(() =>
        loadModel({load: async () => ({...fields, weightSpecs: weightsManifest[0].weights, weightData}) as never}, {registry}),
      );
      expect(error, JSON.stringify(weightData)).toBeInstanceOf(FormatError);
      expect((error as Error).message).toMatch(/weightData must be an ArrayBuffer/);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  // A layer of 2.8e15 units would throw a RangeError from its initializer (smaller huge layers would
  // exhaust memory): the model is built within a budget of the weight elements the file holds.
  it('a topology declaring a huge layer is refused before its weights are allocated (found by load.fuzz.test.ts)', async () => {
    const {json} = await saved();
    json.modelTopology.config.layers[1].config.units = 2839011325442788;
    await rewrite(json);
    const error = await loadError();
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toMatch(/declares weight '.*kernel' of shape \[\d+, 2839011325442788\].*the file holds \d+/);
  });
});
