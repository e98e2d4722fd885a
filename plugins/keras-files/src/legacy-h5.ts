/**
 * Legacy Keras `.h5` models (`model.save("m.h5")`): the config as the root attribute
 * `model_config`, weights under `model_weights/<layer>/<weight name>` listed by `weight_names`
 * attributes, optimizer variables under `optimizer_weights`.
 * @module
 */
import {ConfigError} from '@trellis/core';
import type {Group as H5Group} from 'h5wasm';
import {checkArrayForWriting, type KerasArray} from './arrays';
import {KerasFileError} from './errors';
import {ensureGroup, withH5Reader, withH5Writer, type H5Reader} from './h5';
import {checkModelConfig} from './keras-archive';
import {isJsonObject, parseJson, stringifyJson, type Json} from './json';
import {resolveLimits, type KerasFileLimits} from './limits';

/** One saved variable: its name as listed in `weight_names` (Keras 3: `dense/kernel`; tf.keras 2: `dense/kernel:0`) and its value. */
export interface LegacyWeight {
  /** The name in `weight_names`, also the dataset's path inside its group. */
  readonly name: string;
  /** The value. */
  readonly array: KerasArray;
}

/** The weights of one layer: group `model_weights/<name>`. */
export interface LegacyLayerWeights {
  /** The layer name (an entry of `layer_names`). */
  readonly name: string;
  /** Its variables in `weight_names` order (trainable, then non-trainable). */
  readonly weights: LegacyWeight[];
}

/** The content of a legacy Keras `.h5` model file. */
export interface LegacyH5Model {
  /** The `model_config` attribute, parsed: `{class_name, config}` in Keras' legacy form (no `module`). */
  readonly modelConfig: Json;
  /** The `training_config` attribute, parsed (`{loss, metrics, ..., optimizer_config}`), if present. */
  readonly trainingConfig?: Json;
  /** The `keras_version` attribute, if present. */
  readonly kerasVersion?: string;
  /** The `backend` attribute, if present. */
  readonly backend?: string;
  /** Every layer of `layer_names`, in that order (layers without weights have none). */
  readonly layers: LegacyLayerWeights[];
  /** `model_weights/top_level_model_weights` (the model's own variables), when present. */
  readonly topLevelWeights?: LegacyWeight[];
  /** `optimizer_weights` in `weight_names` order (`optimizer.variables`), when present. */
  readonly optimizerWeights?: LegacyWeight[];
}

/** Keras splits string-list attributes larger than this into `name0`, `name1`, ... */
const HDF5_OBJECT_HEADER_LIMIT = 64512;
const PART = 'HDF5';

function readStringList(reader: H5Reader, path: string, name: string): string[] {
  const read = (attr: string): string[] => {
    const value = reader.stringAttribute(path, attr);
    if (value === undefined) return [];
    return typeof value === 'string' ? [value] : value;
  };
  if (reader.hasAttribute(path, name)) return read(name);
  const out: string[] = [];
  for (let chunk = 0; reader.hasAttribute(path, `${name}${chunk}`); chunk++) out.push(...read(`${name}${chunk}`));
  return out;
}

function checkRelativeName(reader: H5Reader, group: string, name: string): string {
  if (typeof name !== 'string' || name.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new KerasFileError(reader.file, `${reader.part}: ${group}`, 'invalid', `invalid weight or layer name ${JSON.stringify(name)}`);
  }
  // Check every component: refuses soft and external links on the way.
  let path = group;
  for (const part of name.split('/')) {
    path = `${path}/${part}`;
    if (reader.kind(path) === undefined) throw new KerasFileError(reader.file, `${reader.part}: ${path}`, 'invalid', 'listed but missing');
  }
  return path;
}

function readWeightGroup(reader: H5Reader, group: string): LegacyWeight[] {
  if (reader.kind(group) !== 'group') throw new KerasFileError(reader.file, `${reader.part}: ${group}`, 'invalid', 'expected a group');
  return readStringList(reader, group, 'weight_names').map((name) => {
    const path = checkRelativeName(reader, group, name);
    if (reader.kind(path) !== 'dataset') throw new KerasFileError(reader.file, `${reader.part}: ${path}`, 'invalid', 'expected a dataset');
    return {name, array: reader.dataset(path)};
  });
}

function jsonAttribute(reader: H5Reader, name: string, maxJsonBytes: number): Json | undefined {
  const value = reader.stringAttribute('/', name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new KerasFileError(reader.file, `${reader.part}: attribute ${name}`, 'invalid', 'expected a JSON string');
  if (value.length > maxJsonBytes)
    throw new KerasFileError(reader.file, `${reader.part}: attribute ${name}`, 'limit', `more than maxJsonBytes = ${maxJsonBytes}`);
  return parseJson(value, reader.file, `${reader.part}: attribute ${name}`);
}

/**
 * Reads a legacy Keras `.h5` model file (as `model.save("m.h5")` writes it), checking every
 * dataset's declared shape × dtype size against `limits` and the file before reading it, and
 * refusing soft and external links.
 * @param bytes the file
 * @param limits size limits (defaults: {@link DEFAULT_LIMITS})
 * @param fileName the name used in error messages
 * @throws KerasFileError (a `FormatError`) naming the file and the part for damaged, truncated,
 * oversized or hostile content (`model_config` missing or not JSON, a listed weight missing...).
 */
export async function readLegacyH5(bytes: Uint8Array, limits?: KerasFileLimits, fileName = 'model.h5'): Promise<LegacyH5Model> {
  const resolved = resolveLimits(limits);
  if (!(bytes instanceof Uint8Array)) throw new ConfigError(`readLegacyH5 expects a Uint8Array, got ${String(bytes)}.`);
  return withH5Reader(bytes, fileName, PART, resolved, (reader) => {
    const modelConfig = jsonAttribute(reader, 'model_config', resolved.maxJsonBytes);
    if (modelConfig === undefined)
      throw new KerasFileError(fileName, `${PART}: attribute model_config`, 'invalid', 'no model config (is this a weights-only file?)');
    checkModelConfig(modelConfig, fileName, `${PART}: attribute model_config`);
    const trainingConfig = jsonAttribute(reader, 'training_config', resolved.maxJsonBytes);
    const kerasVersion = reader.stringAttribute('/', 'keras_version');
    const backend = reader.stringAttribute('/', 'backend');
    if (reader.kind('/model_weights') !== 'group')
      throw new KerasFileError(fileName, `${PART}: /model_weights`, 'invalid', 'the group model_weights is missing');
    const layerNames = readStringList(reader, '/model_weights', 'layer_names');
    if (new Set(layerNames).size !== layerNames.length)
      throw new KerasFileError(fileName, `${PART}: /model_weights`, 'invalid', 'layer_names lists a layer twice');
    const layers = layerNames.map((name) => ({name, weights: readWeightGroup(reader, checkRelativeName(reader, '/model_weights', name))}));
    const model: {-readonly [K in keyof LegacyH5Model]: LegacyH5Model[K]} = {modelConfig, layers};
    if (trainingConfig !== undefined) model.trainingConfig = trainingConfig;
    if (typeof kerasVersion === 'string') model.kerasVersion = kerasVersion;
    if (typeof backend === 'string') model.backend = backend;
    if (!layerNames.includes('top_level_model_weights') && reader.kind('/model_weights/top_level_model_weights') === 'group') {
      model.topLevelWeights = readWeightGroup(reader, '/model_weights/top_level_model_weights');
    }
    if (reader.kind('/optimizer_weights') !== undefined) model.optimizerWeights = readWeightGroup(reader, '/optimizer_weights');
    return model;
  });
}

/** Sets a list-of-strings attribute, split as Keras splits those over 64,512 bytes (`name0`, `name1`, ...). */
function setStringList(group: H5Group, name: string, values: readonly string[]): void {
  const encoder = new TextEncoder();
  const width = Math.max(1, ...values.map((v) => encoder.encode(v).length));
  let chunks = 1;
  const split = (k: number): string[][] => {
    // numpy.array_split: the first n % k parts get one extra element.
    const out: string[][] = [];
    const base = Math.floor(values.length / k);
    const extra = values.length % k;
    let at = 0;
    for (let i = 0; i < k; i++) {
      const n = base + (i < extra ? 1 : 0);
      out.push(values.slice(at, at + n));
      at += n;
    }
    return out;
  };
  let parts = split(chunks);
  while (parts.some((p) => p.length * width > HDF5_OBJECT_HEADER_LIMIT)) parts = split(++chunks);
  if (chunks === 1) {
    group.create_attribute(name, [...values], [values.length]);
  } else {
    parts.forEach((p, i) => group.create_attribute(`${name}${i}`, p, [p.length]));
  }
}

function checkWeightName(name: string, where: string): void {
  if (typeof name !== 'string' || name.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new ConfigError(`${where}: invalid name ${JSON.stringify(name)} (slash-separated, no empty, '.' or '..' parts).`);
  }
}

function writeWeightGroup(group: H5Group, weights: readonly LegacyWeight[], where: string): void {
  setStringList(
    group,
    'weight_names',
    weights.map((w) => w.name),
  );
  for (const w of weights) {
    const slash = w.name.lastIndexOf('/');
    const parent = slash < 0 ? group : ensureGroup(group, w.name.slice(0, slash));
    parent.create_dataset({
      name: w.name.slice(slash + 1),
      data: w.array.values,
      shape: [...w.array.shape],
      dtype: checkArrayForWriting(w.array, `${where} ${w.name}`),
    });
  }
}

function checkWeights(weights: readonly LegacyWeight[] | undefined, where: string): void {
  if (weights === undefined) return;
  if (!Array.isArray(weights)) throw new ConfigError(`${where} must be an array of {name, array}.`);
  const seen = new Set<string>();
  for (const w of weights) {
    checkWeightName(w?.name, where);
    if (seen.has(w.name)) throw new ConfigError(`${where}: the weight name '${w.name}' occurs twice.`);
    seen.add(w.name);
    checkArrayForWriting(w.array, `${where} ${w.name}`);
  }
}

/**
 * Writes a legacy Keras `.h5` model file that `keras.saving.load_model` reads: root attributes
 * `keras_version`, `backend`, `model_config` (and `training_config` when given), group
 * `model_weights` (attributes `layer_names`, `backend`, `keras_version`; one group per layer
 * with `weight_names`, plus `top_level_model_weights`) and `optimizer_weights` when given.
 * Strings are written as variable-length UTF-8.
 * @throws ConfigError or ShapeError when the input is inconsistent.
 */
export async function writeLegacyH5(model: LegacyH5Model): Promise<Uint8Array> {
  if (typeof model !== 'object' || model === null) throw new ConfigError('writeLegacyH5 expects {modelConfig, layers, ...}.');
  if (!isJsonObject(model.modelConfig) || typeof model.modelConfig['class_name'] !== 'string') {
    throw new ConfigError('modelConfig must be a Keras object {"class_name": ..., "config": {...}}.');
  }
  if (!Array.isArray(model.layers)) throw new ConfigError('layers must be an array of {name, weights}.');
  const names = new Set<string>();
  for (const layer of model.layers) {
    checkWeightName(layer?.name, 'layers');
    if (layer.name.includes('/')) throw new ConfigError(`layer name '${layer.name}' must not contain '/'.`);
    if (names.has(layer.name) || layer.name === 'top_level_model_weights')
      throw new ConfigError(`layer name '${layer.name}' occurs twice or is reserved.`);
    names.add(layer.name);
    checkWeights(layer.weights, `layer ${layer.name}`);
  }
  checkWeights(model.topLevelWeights, 'topLevelWeights');
  checkWeights(model.optimizerWeights, 'optimizerWeights');
  const kerasVersion = model.kerasVersion ?? '3.15.1';
  const backend = model.backend ?? 'jax';
  const modelConfig = stringifyJson(model.modelConfig);
  const trainingConfig = model.trainingConfig === undefined ? undefined : stringifyJson(model.trainingConfig);
  return withH5Writer((file) => {
    file.create_attribute('keras_version', kerasVersion);
    file.create_attribute('backend', backend);
    file.create_attribute('model_config', modelConfig);
    if (trainingConfig !== undefined) file.create_attribute('training_config', trainingConfig);
    const weights = file.create_group('model_weights');
    setStringList(
      weights,
      'layer_names',
      model.layers.map((l) => l.name),
    );
    weights.create_attribute('backend', backend);
    weights.create_attribute('keras_version', kerasVersion);
    for (const layer of [...model.layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      writeWeightGroup(weights.create_group(layer.name), layer.weights, `layer ${layer.name}`);
    }
    writeWeightGroup(weights.create_group('top_level_model_weights'), model.topLevelWeights ?? [], 'topLevelWeights');
    if (model.optimizerWeights !== undefined && model.optimizerWeights.length > 0) {
      writeWeightGroup(file.create_group('optimizer_weights'), model.optimizerWeights, 'optimizerWeights');
    }
  });
}
