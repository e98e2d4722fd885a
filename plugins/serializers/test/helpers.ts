import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {mkdtemp, readFile, readdir, rm, writeFile, mkdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createRegistry, type Registry} from '@trellis/core';
import {initializersPlugin} from '@trellis/initializers';
import {layersPlugin} from '@trellis/layers';
import {metricsPlugin} from '@trellis/metrics';
import {optimizersPlugin} from '@trellis/optimizers';
import {regularizersPlugin} from '@trellis/regularizers';
import {schedulesPlugin} from '@trellis/schedules';

/** The default assembly's model-building plugins (what createTrellis() registers). */
export function testRegistry(): Registry {
  return createRegistry(initializersPlugin, regularizersPlugin, layersPlugin, schedulesPlugin, optimizersPlugin, metricsPlugin);
}

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A fresh folder under the OS temp folder. */
export async function tempDir(): Promise<string> {
  return await mkdtemp(join(tmpdir(), 'trellis-serializers-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, {recursive: true, force: true});
}

export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** The values of a tensor (or the first of an array), then disposes it. */
export function values(t: tf.Tensor | tf.Tensor[]): Float32Array {
  const list = Array.isArray(t) ? t : [t];
  const out = list[0]!.dataSync() as Float32Array;
  const copy = Float32Array.from(out);
  tf.dispose(list);
  return copy;
}

/** A seeded tensor of uniform values. */
export function data(shape: number[], seed = 1): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** Loads a folder written by Trellis with tfjs-layers' own loader (through `tf.io.fromMemory`). */
export async function tfjsLoadFolder(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const parts = [];
  for (const g of json.weightsManifest) for (const p of g.paths) parts.push(new Uint8Array(await readFile(join(dir, p))));
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const buffer = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    buffer.set(p, at);
    at += p.byteLength;
  }
  return await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: buffer.buffer,
      ...(json.trainingConfig ? {trainingConfig: json.trainingConfig} : {}),
      ...(json.userDefinedMetadata ? {userDefinedMetadata: json.userDefinedMetadata} : {}),
    }),
  );
}

/** Saves a tfjs-layers model into a folder as tfjs-node's file:// handler does (model.json + weights.bin). */
export async function tfjsSaveFolder(model: tfl.LayersModel, dir: string, includeOptimizer = false): Promise<void> {
  await mkdir(dir, {recursive: true});
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const {weightData, weightSpecs, ...rest} = artifacts;
      const json = {...rest, weightsManifest: [{paths: ['weights.bin'], weights: weightSpecs}]};
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(weightData as ArrayBuffer));
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
    {includeOptimizer},
  );
}

export {tf, tfl};
