/**
 * `saveModel`, `loadModel`, `saveWeights`, `loadWeights`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  DTypeError,
  FormatError,
  ShapeError,
  StateError,
  checkOptions,
  defaultRegistry,
  type AnyModel,
  type FunctionalModel,
  type Registry,
  type Sequential,
} from '@trellis/core';
import {compileConfigOf, compileFromConfig, compileFromTrainingConfig, compiledOf} from './compile-config';
import {loadArtifacts, saveArtifacts, type Destination, type WriteOptions} from './io';
import {kerasModelConfig, modelFromKerasConfig} from './keras-config/model';
import {LAYERS_MODEL_FORMAT, TFJS_LAYERS_VERSION, type ReadLimits} from './tfjs-format/model-json';
import {decodeState, encodeState, readTrellisBlock, type TrellisBlock, type TrellisFileKind} from './tfjs-format/trellis-block';
import {decodeWeights, encodeWeights, type NamedWeight} from './tfjs-format/weights';
import {VERSION} from './version';
import {fileWeightNames} from './weight-names';
import {buildWithinFile} from './weights-held';
import {kerasFileKind, localPath, type ModelFormat} from './keras-format/file-format';
import {loadKerasModel, loadKerasWeights} from './keras-format/load-keras';
import {saveKerasModel, saveKerasWeights} from './keras-format/save-keras';

/** Options of {@link saveModel}. */
export type SaveModelOptions = WriteOptions & {
  /**
   * The file format: `'keras'` (Keras 3 `.keras`), `'h5'` (legacy Keras
   * `.h5`) or `'tfjs'` (the TensorFlow.js layers format). Default: from the
   * path: `.keras` → `'keras'`, `.h5`/`.hdf5` → `'h5'`, anything else `'tfjs'`.
   * The Keras formats need `@trellis/keras-files`.
   */
  readonly format?: ModelFormat;
  /**
   * Save the compile config (optimizer, losses, metrics as specs) and the
   * optimizer's state by variable name (default true), so that a loaded
   * model resumes training exactly where this one stopped.
   */
  readonly includeOptimizer?: boolean;
};

/** Options of {@link loadModel}. */
export type LoadModelOptions = ReadLimits & {
  /** The file format (default: from the path, as {@link SaveModelOptions.format}). */
  readonly format?: ModelFormat;
  /** Where layers, optimizers, losses and metrics are rebuilt (default `defaultRegistry()`, which `createTrellis()` fills). */
  readonly registry?: Registry;
  /**
   * Compile the model as it was saved and restore the optimizer state
   * (default true; a file without a compile config loads uncompiled).
   */
  readonly compile?: boolean;
};

/** Options of {@link saveWeights}. */
export type SaveWeightsOptions = WriteOptions & {
  /**
   * `'keras'` or `'h5'`: a Keras 3 `.weights.h5` file; `'tfjs'`: the layers
   * format's manifest and shards. Default: `.h5` paths (`x.weights.h5`) are
   * Keras files, anything else the layers format.
   */
  readonly format?: ModelFormat;
};

/** Options of {@link loadWeights}. */
export type LoadWeightsOptions = ReadLimits & {
  /** The file format (default: from the path, as {@link SaveWeightsOptions.format}). */
  readonly format?: ModelFormat;
  /**
   * Require the file and the model to have the same weight names (default
   * true). With false, only the weights both have are set; the others keep
   * their values.
   */
  readonly strict?: boolean;
};

const SAVE_KEYS = ['includeOptimizer', 'shardBytes', 'format'];
const LOAD_KEYS = ['registry', 'compile', 'maxBytes', 'maxJsonBytes', 'format'];

function block(kind: TrellisFileKind, extra: Partial<TrellisBlock> = {}): TrellisBlock {
  let backend: string | null = null;
  try {
    backend = tf.getBackend() ?? null;
  } catch {
    backend = null;
  }
  return {format: 'trellis/v1', kind, version: VERSION, date: new Date().toISOString(), backend, ...extra};
}

function baseArtifacts(): tf.io.ModelArtifacts {
  return {format: LAYERS_MODEL_FORMAT, generatedBy: `Trellis @trellis/serializers v${VERSION}`, convertedBy: null};
}

/**
 * Saves a `Sequential` or functional model in the TensorFlow.js layers format:
 * `model.json` (the architecture as tfjs-layers and Keras write it, a weights
 * manifest, and a `trellis` block of user-defined metadata with the compile
 * config, the optimizer state manifest, the Trellis version, the date and
 * the backend) plus 4 MB weight shards. `tf.loadLayersModel` of
 * `@tensorflow/tfjs-layers` loads it (uncompiled) and predicts the same.
 *
 * `url`: a folder (`file://./model`, `./model`, `/abs/model`; a path ending
 * in `.json` names the JSON file) written atomically in Node (temporary files,
 * fsync, rename; shards first, `model.json` last, so a crash leaves the
 * previous model intact); any scheme tfjs-core's io handlers save to
 * (`indexeddb://`, `localstorage://`, `downloads://`, `http(s)://`); or a tfjs
 * io handler. Nothing of the model is disposed or changed.
 *
 * A path ending in `.keras` (or `format: 'keras'`) writes a Keras 3 archive,
 * `.h5` / `.hdf5` (or `format: 'h5'`) a legacy Keras `.h5` file, atomically,
 * as Keras 3.15 writes them: config, `compile_config`, weights by Keras'
 * layer paths and the optimizer's state in Keras' variable order
 * (`keras.saving.load_model` reads them). They need `@trellis/keras-files`.
 *
 * @example
 * await saveModel(model, 'file://./checkpoints/mnist');
 * await saveModel(model, './models/mnist.keras');
 * @throws KerasFilesMissingError (a ConfigError) for a Keras file without `@trellis/keras-files`;
 *   ConfigError for a subclassed model, a layer option Keras cannot express or an
 *   optimizer without a spec (save with `includeOptimizer: false`); UnknownIdError for a layer
 *   without a Keras class.
 */
export async function saveModel(model: AnyModel, url: Destination, options: SaveModelOptions = {}): Promise<void> {
  checkOptions('saveModel', options, SAVE_KEYS);
  const kind = kerasFileKind(url, options.format, false);
  if (kind === 'keras' || kind === 'h5') {
    await saveKerasModel(model, kerasPath(url), kind, options);
    return;
  }
  const topology = {...kerasModelConfig(model), keras_version: `tfjs-layers ${TFJS_LAYERS_VERSION}`, backend: 'tensor_flow.js'};
  const names = fileWeightNames(model);
  const weights: NamedWeight[] = model.weights.map((w) => ({name: names.get(w.name)!, tensor: w.variable}));
  const owned: tf.Tensor[] = [];
  let extra: Partial<TrellisBlock> = {};
  const compiled = options.includeOptimizer === false ? undefined : compiledOf(model);
  try {
    if (compiled) {
      extra = {compile: compileConfigOf(model, compiled)};
      if (compiled.optimizer.initialized) {
        const saved = compiled.optimizer.getState();
        const tensors: {name: string; tensor: tf.Tensor}[] = [];
        const state = encodeState(saved.state, 'optimizer', tensors);
        owned.push(...tensors.map((t) => t.tensor));
        for (const t of tensors) weights.push({...t, group: 'optimizer'});
        extra = {
          ...extra,
          optimizer: {
            step: saved.step,
            ...(saved.learningRateScale === undefined ? {} : {learningRateScale: saved.learningRateScale}),
            state,
          },
        };
      }
    }
    const {specs, data} = await encodeWeights(weights);
    await saveArtifacts(
      url,
      {
        ...baseArtifacts(),
        modelTopology: topology,
        weightSpecs: specs,
        weightData: data.buffer as ArrayBuffer,
        userDefinedMetadata: {trellis: block('model', extra)} as {},
      },
      options,
    );
  } finally {
    tf.dispose(owned);
  }
}

/**
 * Loads a model saved by {@link saveModel} or by tfjs-layers (`model.save`)
 * or converted from Keras by `tensorflowjs_converter`: the architecture is
 * rebuilt through `registry` (layers by their Keras class; nothing is ever
 * evaluated), the weights are set by name and, with `compile` (default), the
 * model is compiled as saved and the optimizer state restored by name. A
 * tfjs-layers `trainingConfig` compiles too (its optimizer weights, which
 * tfjs orders by position, are not read).
 *
 * Everything is checked before weights are decoded (sizes, manifest, shard
 * files), and the weights against the rebuilt model before they are set;
 * on any error nothing is left allocated.
 *
 * A `.keras` / `.h5` path (or `format`) reads a Keras file, Keras' own or
 * Trellis': compiled from its `compile_config` (legacy: `training_config`),
 * the optimizer's state restored from Keras' variables by variable name, so
 * training continues where it stopped.
 *
 * @returns a new `Sequential` or functional model, owned by the caller.
 * @throws DataError when there is no model at `url`; FormatError naming the file and the part for a
 *   truncated or corrupt `model.json` or shard, a missing shard, a weight the architecture lacks (or
 *   lacks a weight it has), or sizes beyond `maxBytes` / `maxJsonBytes`; ShapeError naming a weight of
 *   the wrong shape; UnknownIdError for an unknown class, listing the known ones; ConfigError /
 *   StateError when the compile config or optimizer state cannot be restored.
 */
export async function loadModel(url: Destination, options: LoadModelOptions = {}): Promise<Sequential | FunctionalModel> {
  checkOptions('loadModel', options, LOAD_KEYS);
  const kind = kerasFileKind(url, options.format, false);
  if (kind === 'keras' || kind === 'h5') return await loadKerasModel(kerasPath(url), kind, options);
  const registry = options.registry ?? defaultRegistry();
  const {artifacts, data, file} = await loadArtifacts(url, options);
  if (!artifacts.modelTopology)
    throw new FormatError(`${file}: modelTopology is missing (a weights-only file? Load it with loadWeights into a model).`);
  const specs = artifacts.weightSpecs ?? [];
  const optimizerNames = new Set(specs.filter((s) => s.group === 'optimizer').map((s) => s.name));
  const trellis = readTrellisBlock(artifacts.userDefinedMetadata, file, optimizerNames);
  const held = specs.filter((s) => s.group !== 'optimizer').reduce((n, s) => n + s.shape.reduce((m, d) => m * d, 1), 0);
  const model = buildWithinFile(file, held, () => modelFromKerasConfig(artifacts.modelTopology as never, registry));
  let decoded: tf.NamedTensorMap = {};
  try {
    const pairs = matchWeights(
      model,
      specs.filter((s) => s.group !== 'optimizer'),
      file,
      true,
      (message) => new FormatError(message),
    );
    decoded = decodeWeights(data, specs);
    model.setWeights(Object.fromEntries(pairs.map(([name, spec]) => [name, decoded[spec.name]!])));
    if (options.compile !== false) {
      if (trellis?.compile) {
        compileFromConfig(model, trellis.compile, registry);
        if (trellis.optimizer) {
          const o = trellis.optimizer;
          model.optimizer.setState({
            step: o.step,
            state: decodeState(o.state, decoded),
            ...(o.learningRateScale === undefined ? {} : {learningRateScale: o.learningRateScale}),
          });
        }
      } else if (artifacts.trainingConfig && !trellis) {
        compileFromTrainingConfig(model, artifacts.trainingConfig as never, registry);
      }
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

/**
 * Pairs the weights of `model` with the manifest entries `specs` (by their
 * name in the file, or their Trellis name) and checks them: every name on
 * both sides when `strict`, shapes (`ShapeError` naming the weight) and
 * dtypes (`DTypeError`). `nameError` makes the error for a name mismatch.
 * Returns `[model weight name, entry]` pairs.
 */
function matchWeights(
  model: AnyModel,
  specs: readonly tf.io.WeightsManifestEntry[],
  file: string,
  strict: boolean,
  nameError: (message: string) => Error,
): [string, tf.io.WeightsManifestEntry][] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const names = fileWeightNames(model);
  const pairs: [string, tf.io.WeightsManifestEntry][] = [];
  const missing: string[] = [];
  for (const w of model.weights) {
    const spec = byName.get(names.get(w.name)!) ?? byName.get(w.name);
    if (!spec) {
      missing.push(w.name);
      continue;
    }
    byName.delete(spec.name);
    if (!tf.util.arraysEqual(spec.shape, w.variable.shape)) {
      throw new ShapeError(
        `${file}: weight '${spec.name}' has shape [${spec.shape.join(', ')}]; the model's '${w.name}' is [${w.variable.shape.join(', ')}].`,
      );
    }
    if (spec.dtype !== w.variable.dtype)
      throw new DTypeError(`${file}: weight '${spec.name}' is ${spec.dtype}; the model's '${w.name}' is ${w.variable.dtype}.`);
    pairs.push([w.name, spec]);
  }
  if (strict && byName.size > 0) {
    throw nameError(
      `${file} has weights the model lacks: ${[...byName.keys()].join(', ')}. The model has: ${model.weights.map((w) => w.name).join(', ')}.`,
    );
  }
  if (strict && missing.length > 0) throw nameError(`${file} lacks weights of the model: ${missing.join(', ')}.`);
  return pairs;
}

/**
 * Saves the weights of any model (subclassed models too) by name, in the
 * layers format's weights manifest and shards, without architecture or
 * optimizer (Keras' `save_weights`). Same destinations as {@link saveModel}.
 * A `.h5` path (`model.weights.h5`, or `format: 'keras' | 'h5'`) writes a
 * Keras 3 weights file of a Sequential or functional model instead.
 */
export async function saveWeights(model: AnyModel, url: Destination, options: SaveWeightsOptions = {}): Promise<void> {
  checkOptions('saveWeights', options, ['shardBytes', 'format']);
  if (kerasFileKind(url, options.format, true) !== null) {
    await saveKerasWeights(model, kerasPath(url));
    return;
  }
  const names = fileWeightNames(model);
  const {specs, data} = await encodeWeights(model.weights.map((w) => ({name: names.get(w.name)!, tensor: w.variable})));
  await saveArtifacts(
    url,
    {
      ...baseArtifacts(),
      weightSpecs: specs,
      weightData: data.buffer as ArrayBuffer,
      userDefinedMetadata: {trellis: block('weights')} as {},
    },
    options,
  );
}

/**
 * Sets the weights of `model` by name from a file written by
 * {@link saveWeights}, {@link saveModel} or tfjs-layers (a `.h5` path: a
 * Keras 3 `.weights.h5`, by Keras' layer paths). Every name, shape
 * and dtype is checked before a single weight changes; optimizer weights in
 * the file are ignored.
 * @throws StateError (strict) when the names differ, naming them; ShapeError naming a weight of the
 *   wrong shape; FormatError / DataError as {@link loadModel} for the files.
 */
export async function loadWeights(model: AnyModel, url: Destination, options: LoadWeightsOptions = {}): Promise<void> {
  checkOptions('loadWeights', options, ['strict', 'maxBytes', 'maxJsonBytes', 'format']);
  if (kerasFileKind(url, options.format, true) !== null) {
    await loadKerasWeights(model, kerasPath(url), options);
    return;
  }
  const {artifacts, data, file} = await loadArtifacts(url, options);
  const specs = (artifacts.weightSpecs ?? []).filter((s) => s.group !== 'optimizer');
  const strict = options.strict ?? true;
  const pairs = matchWeights(
    model,
    specs,
    file,
    strict,
    (message) => new StateError(`${message} Load with {strict: false} to set only the weights both have.`),
  );
  const decoded = decodeWeights(data, artifacts.weightSpecs ?? []);
  try {
    model.setWeights(Object.fromEntries(pairs.map(([name, spec]) => [name, decoded[spec.name]!])), {strict: false});
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

/** The local path of a Keras file destination (checked by `kerasFileKind`). */
function kerasPath(url: Destination): string {
  return localPath(url)!;
}
