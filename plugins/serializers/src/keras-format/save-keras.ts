/**
 * Writing Keras files: a model as a Keras 3 `.keras` archive or a legacy
 * `.h5` file, its weights as a Keras 3 `.weights.h5` (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, FunctionalModel, Sequential, type AnyModel} from '@trellis/core';
import type {Json as KerasJson, KerasArray} from '@trellis/keras-files';
import {compiledOf} from '../compile-config';
import {writeFileAtomically} from '../node-files';
import {VERSION} from '../version';
import {kerasCompileConfig, legacyTrainingConfig} from './keras-compile-config';
import {kerasFiles, type KerasFilesModule} from './keras-files-module';
import {layerArrays} from './layer-weights';
import {layerVariables, trainableInKerasOrder, type LayerVariables} from './layer-variables';
import {kerasFileModelConfig, legacyModelConfig} from './model-config';
import {kerasOptimizerVariables, kerasOptimizerName} from './optimizer-slots';

/** The Keras version whose files are written. */
const KERAS_VERSION = '3.15.1';

function checkModel(model: AnyModel, what: string): Sequential | FunctionalModel {
  if (model instanceof Sequential || model instanceof FunctionalModel) return model;
  throw new ConfigError(
    `${what}: only Sequential and functional models have a Keras config (a subclassed model's layers live in code). Save its weights with saveWeights to a .json path instead.`,
  );
}

function backendName(): string | null {
  try {
    return tf.getBackend() ?? null;
  } catch {
    return null;
  }
}

function kerasDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * Saves a `Sequential` or functional model as a Keras file at `path`
 * (atomically): `kind` `'keras'` writes a Keras 3 archive (`config.json` with
 * `compile_config`, `metadata.json`, `model.weights.h5` with the variables
 * by Keras' layer paths and the optimizer's variables in Keras' order);
 * `'h5'` a legacy `.h5` (`model_config`, `training_config`, `model_weights`,
 * `optimizer_weights`). Reads the weights back to the host; disposes nothing
 * of the model.
 * @throws ConfigError for a subclassed model, a layer or optimizer option Keras cannot express (naming it),
 *   or an optimizer Keras cannot represent (save with `includeOptimizer: false`); KerasFilesMissingError
 *   when `@trellis/keras-files` is not installed.
 */
export async function saveKerasModel(
  model: AnyModel,
  path: string,
  kind: 'keras' | 'h5',
  options: {readonly includeOptimizer?: boolean},
): Promise<void> {
  const what = `saveModel(model, '${path}')`;
  const checked = checkModel(model, what);
  const files = await kerasFiles(what);
  const config = kerasFileModelConfig(checked);
  const layers = layerVariables(checked, config, files);
  const compiled = options.includeOptimizer === false ? undefined : compiledOf(checked);
  const compileConfig = compiled ? kerasCompileConfig(compiled) : undefined;
  const optimizer = compiled ? kerasOptimizerVariables(compiled.optimizer, trainableInKerasOrder(checked, layers)) : undefined;
  const arrays = layerArrays(layers);
  let bytes: Uint8Array;
  if (kind === 'keras') {
    bytes = await files.writeKerasArchive({
      config: (compileConfig ? {...config, compile_config: compileConfig} : config) as KerasJson,
      metadata: {keras_version: KERAS_VERSION, date_saved: kerasDate(new Date()), trellis_version: VERSION, trellis_backend: backendName()},
      weights: kerasWeights(checked, layers, arrays),
      ...(optimizer
        ? {optimizer: {vars: {optimizer: optimizer.arrays}, names: {optimizer: kerasOptimizerName(compiled!.optimizer.spec)}}}
        : {}),
    });
  } else {
    bytes = await files.writeLegacyH5({
      modelConfig: legacyModelConfig(config) as KerasJson,
      ...(compileConfig ? {trainingConfig: legacyTrainingConfig(compileConfig) as KerasJson} : {}),
      kerasVersion: KERAS_VERSION,
      backend: 'jax',
      layers: layers.map((l) => ({name: l.name, weights: l.weights.map((w, i) => ({name: w.name, array: arrays.get(l)![i]!}))})),
      topLevelWeights: [],
      ...(optimizer ? {optimizerWeights: optimizer.names.map((name, i) => ({name, array: optimizer.arrays[i]!}))} : {}),
    });
  }
  await writeFileAtomically(path, bytes);
}

function kerasWeights(
  model: Sequential | FunctionalModel,
  layers: readonly LayerVariables[],
  arrays: Map<LayerVariables, KerasArray[]>,
): {layers: Record<string, KerasArray[]>; names: Record<string, string>} {
  const out: Record<string, KerasArray[]> = {'': []};
  const names: Record<string, string> = {'': model.name};
  for (const l of layers) {
    out[l.path] = arrays.get(l)!;
    names[l.path] = l.name;
  }
  return {layers: out, names};
}

/**
 * Saves the weights of a `Sequential` or functional model as a Keras 3
 * `.weights.h5` (what `model.save_weights` writes, without the optimizer):
 * `layers/<path>/vars/<i>`, atomically.
 * @throws ConfigError for a subclassed model; KerasFilesMissingError without `@trellis/keras-files`.
 */
export async function saveKerasWeights(model: AnyModel, path: string): Promise<void> {
  const what = `saveWeights(model, '${path}')`;
  const checked = checkModel(model, what);
  const files: KerasFilesModule = await kerasFiles(what);
  const layers = layerVariables(checked, kerasFileModelConfig(checked), files);
  const bytes = await files.writeKerasWeightsH5(kerasWeights(checked, layers, layerArrays(layers)));
  await writeFileAtomically(path, bytes);
}
