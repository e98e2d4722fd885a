/**
 * Reading Keras files: a Keras 3 `.keras` archive or a legacy `.h5` file as a
 * Trellis model, a `.weights.h5` into a model (internal).
 * @module
 */
import {
  ConfigError,
  DataError,
  FormatError,
  FunctionalModel,
  Sequential,
  defaultRegistry,
  type AnyModel,
  type Json,
  type Registry,
} from '@trellis/core';
import type {KerasArray, KerasFileLimits} from '@trellis/keras-files';
import {modelFromKerasConfig} from '../keras-config/model';
import {buildWithinFile} from '../weights-held';
import {isObject} from '../keras-config/types';
import {readFileBounded} from '../node-files';
import type {ReadLimits} from '../tfjs-format/model-json';
import {compileFromKeras} from './keras-compile-config';
import {kerasFiles} from './keras-files-module';
import {layerVariables, trainableInKerasOrder, type LayerVariables} from './layer-variables';
import {kerasFileModelConfig} from './model-config';
import {setLayerWeights} from './layer-weights';
import {restoreKerasOptimizer} from './optimizer-slots';

/** The `@trellis/keras-files` limits of the serializers' `maxBytes` / `maxJsonBytes`. */
function kerasLimits(limits: ReadLimits): KerasFileLimits {
  const bytes = limits.maxBytes;
  return {
    ...(bytes === undefined ? {} : {maxEntryBytes: bytes, maxTotalBytes: bytes, maxDatasetBytes: bytes, maxTotalDatasetBytes: bytes}),
    ...(limits.maxJsonBytes === undefined ? {} : {maxJsonBytes: limits.maxJsonBytes}),
  };
}

/** @throws DataError when there is no file at `path`. */
async function checkFile(path: string): Promise<void> {
  const specifier = 'node:fs/promises';
  const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as typeof import('node:fs/promises');
  try {
    if (!(await fs.stat(path)).isFile()) throw new DataError(`'${path}' is not a file; expected a Keras model file.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DataError(`No model at '${path}': the file does not exist.`, {cause: error});
    throw error;
  }
}

/** What a Keras model file holds, in the terms both kinds share. */
type KerasModelFile = {
  readonly config: Json;
  readonly compileConfig: Json | undefined;
  readonly arrays: (layer: LayerVariables) => readonly KerasArray[] | undefined;
  /** The elements of every layer weight in the file: the most the model's config may declare. */
  readonly elements: number;
  /** Paths or names of saved layers with variables (to refuse those the model lacks). */
  readonly saved: readonly string[];
  readonly optimizer: readonly KerasArray[];
};

/**
 * Loads a Keras 3 `.keras` archive (`kind` `'keras'`) or a legacy `.h5` model
 * (`'h5'`) as a new Trellis model: the architecture from the config through
 * `registry` (nothing is evaluated; a `Lambda` or unknown class is refused),
 * the weights by Keras' layer paths (legacy: layer names) after checking
 * every count and shape, then — with `compile` (default) and a
 * `compile_config` / `training_config` — compiled as saved, with the
 * optimizer's state restored from Keras' variables (iteration, learning rate,
 * slots by variable name). On any error the model is disposed and nothing
 * is left allocated.
 * @returns a new model owned by the caller (dispose it).
 * @throws KerasFileError (a FormatError) for a damaged, truncated or hostile file; FormatError for
 *   weights the model lacks or a count mismatch; ShapeError naming a weight of the wrong shape;
 *   UnknownIdError for an unknown class; StateError when the optimizer state does not fit;
 *   DataError when there is no file; KerasFilesMissingError without `@trellis/keras-files`.
 */
export async function loadKerasModel(
  path: string,
  kind: 'keras' | 'h5',
  options: ReadLimits & {readonly registry?: Registry; readonly compile?: boolean},
): Promise<Sequential | FunctionalModel> {
  const files = await kerasFiles(`loadModel('${path}')`);
  const limits = kerasLimits(options);
  await checkFile(path);
  let file: KerasModelFile;
  if (kind === 'keras') {
    const archive = await files.readKerasFile(path, limits);
    const {compile_config: compileConfig, ...config} = isObject(archive.config) ? archive.config : {};
    file = {
      config: config as Json,
      compileConfig,
      arrays: (l) => archive.weights.layers[l.path],
      elements: elementsOf(Object.values(archive.weights.layers).flat()),
      saved: Object.entries(archive.weights.layers)
        .filter(([, a]) => a.length > 0)
        .map(([p]) => p),
      optimizer: archive.optimizer.vars['optimizer'] ?? [],
    };
  } else {
    const h5 = await files.readLegacyH5File(path, limits);
    const byName = new Map(h5.layers.map((l) => [l.name, l.weights.map((w) => w.array)]));
    file = {
      config: h5.modelConfig,
      compileConfig: h5.trainingConfig,
      arrays: (l) => byName.get(l.name),
      elements: elementsOf(h5.layers.flatMap((l) => l.weights.map((w) => w.array))),
      saved: h5.layers.filter((l) => l.weights.length > 0).map((l) => l.name),
      optimizer: (h5.optimizerWeights ?? []).map((w) => w.array),
    };
  }
  const registry = options.registry ?? defaultRegistry();
  const model = buildWithinFile(path, file.elements, () => modelFromKerasConfig(file.config, registry));
  try {
    const layers = layerVariables(model, file.config, files);
    const known = new Set(layers.flatMap((l) => (l.weights.length > 0 ? [kind === 'keras' ? l.path : l.name] : [])));
    const extra = file.saved.filter((p) => !known.has(p));
    if (extra.length > 0) throw new FormatError(`${path} has weights for ${extra.join(', ')}, which the model's config does not have.`);
    setLayerWeights(model, layers, file.arrays, path, true);
    const compileConfig = file.compileConfig;
    const hasOptimizer = isObject(compileConfig) && isObject(compileConfig.optimizer ?? compileConfig.optimizer_config);
    if (options.compile !== false && hasOptimizer) {
      compileFromKeras(model, compileConfig, registry);
      restoreKerasOptimizer(model.optimizer, trainableInKerasOrder(model, layers), file.optimizer, path);
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function elementsOf(arrays: readonly KerasArray[]): number {
  return arrays.reduce((n, a) => n + a.values.length, 0);
}

/**
 * Sets the weights of a `Sequential` or functional model from a Keras 3
 * `.weights.h5` (what `model.save_weights` writes; optimizer variables in it
 * are ignored), by Keras' layer paths. Every count and shape is checked
 * before a weight changes.
 * @param strict refuse a file that lacks a layer's weights or has weights for a layer the model lacks (default true)
 * @throws FormatError / ShapeError as {@link loadKerasModel}; ConfigError for a subclassed model.
 */
export async function loadKerasWeights(model: AnyModel, path: string, options: ReadLimits & {readonly strict?: boolean}): Promise<void> {
  if (!(model instanceof Sequential || model instanceof FunctionalModel)) {
    throw new ConfigError(`loadWeights('${path}'): a Keras weights file is laid out by a Sequential or functional model's layers.`);
  }
  const files = await kerasFiles(`loadWeights(model, '${path}')`);
  const limits = kerasLimits(options);
  const bytes = await readFileBounded(path, (options.maxBytes ?? 1536 * 1024 * 1024) + 64 * 1024 * 1024);
  const {weights} = await files.readKerasWeightsH5(bytes, limits, path);
  const layers = layerVariables(model, kerasFileModelConfig(model), files);
  const strict = options.strict ?? true;
  if (strict) {
    const known = new Set(layers.filter((l) => l.weights.length > 0).map((l) => l.path));
    const extra = Object.entries(weights.layers).filter(([p, a]) => a.length > 0 && !known.has(p));
    if (extra.length > 0) {
      throw new FormatError(
        `${path} has weights for ${extra.map(([p]) => p).join(', ')}, which the model lacks. Load with {strict: false} to skip them.`,
      );
    }
  }
  setLayerWeights(model, layers, (l) => weights.layers[l.path], path, strict);
}
