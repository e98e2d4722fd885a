/**
 * Keras 3 `.keras` archives: a zip of `metadata.json`, `config.json` and `model.weights.h5`.
 * @module
 */
import {ConfigError} from '@trellis/core';
import {checkArrayForWriting, type KerasArray} from './arrays';
import {KerasFileError} from './errors';
import {ensureGroup, withH5Reader, withH5Writer, type H5Reader} from './h5';
import {isJsonObject, parseJson, stringifyJson, type Json} from './json';
import {resolveLimits, type KerasFileLimits, type ResolvedLimits} from './limits';
import {openZip, writeZip} from './zip';

/** The entry names of a `.keras` archive. */
export const KERAS_ENTRIES = Object.freeze({config: 'config.json', metadata: 'metadata.json', weights: 'model.weights.h5'});

/**
 * Variables by the path of the object that owns them, as `model.weights.h5` stores them: the
 * arrays under `<path>/vars/0`, `<path>/vars/1`, ... in that order. Paths have no leading slash;
 * the model's own variables (usually none) are under `''`. An object that owns no variables still
 * has an (empty) entry when Keras wrote its group.
 */
export type KerasVars = Record<string, KerasArray[]>;

/** The model's variables (every path outside `optimizer`). */
export interface KerasModelWeights {
  /** Layer paths (`layers/dense`, `layers/batch_normalization`, ...) to their variables, in Keras' order. */
  readonly layers: KerasVars;
  /** The `name` attribute of each `vars` group (the object's name), where Keras wrote one. */
  readonly names?: Readonly<Record<string, string>>;
}

/** The optimizer's variables (paths `optimizer` and below). */
export interface KerasOptimizerState {
  /** `optimizer` (and nested paths such as `optimizer/inner_optimizer`) to variables, in Keras' order (`optimizer.variables`). */
  readonly vars: KerasVars;
  /** The `name` attribute of each `vars` group (`adam`), where Keras wrote one. */
  readonly names?: Readonly<Record<string, string>>;
}

/** The content of a `.keras` archive. */
export interface KerasArchive {
  /** `config.json` as parsed: `{module, class_name, config, registered_name, build_config?, compile_config?}`. */
  readonly config: Json;
  /** `metadata.json` as parsed (`{keras_version, date_saved}`); `{}` when the archive has none. */
  readonly metadata: Json;
  /** The model's variables. */
  readonly weights: KerasModelWeights;
  /** The optimizer's variables; `vars` is empty for a model saved without an optimizer. */
  readonly optimizer: KerasOptimizerState;
}

/** What {@link writeKerasArchive} takes: an archive, with metadata and optimizer optional. */
export interface KerasArchiveInput {
  /** The model config, written as `config.json`. */
  readonly config: Json;
  /** Written as `metadata.json`; default `{keras_version: '3.15.1', date_saved: <now>}` (Keras does not read it when loading). */
  readonly metadata?: Json;
  /** The model's variables. */
  readonly weights: KerasModelWeights;
  /** The optimizer's variables, if any. */
  readonly optimizer?: KerasOptimizerState;
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** Decodes and parses one JSON entry, within `maxJsonBytes`. */
export function readJsonBytes(bytes: Uint8Array, file: string, part: string, limits: ResolvedLimits): Json {
  if (bytes.length > limits.maxJsonBytes) {
    throw new KerasFileError(file, part, 'limit', `${bytes.length} bytes, more than maxJsonBytes = ${limits.maxJsonBytes}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new KerasFileError(file, part, 'invalid', 'not UTF-8 text', {cause: error});
  }
  return parseJson(text, file, part);
}

/** Checks that a model config is a Keras object (`{class_name: string, config: {...}}`). */
export function checkModelConfig(config: Json, file: string, part: string): void {
  if (
    !isJsonObject(config) ||
    typeof config['class_name'] !== 'string' ||
    !(config['config'] === undefined || isJsonObject(config['config']))
  ) {
    throw new KerasFileError(file, part, 'invalid', 'expected a Keras object {"class_name": ..., "config": {...}}');
  }
}

const INDEX = /^(0|[1-9]\d{0,8})$/;

/** Walks `model.weights.h5` and collects every `vars` group. */
function collectVars(reader: H5Reader): {vars: Map<string, KerasArray[]>; names: Map<string, string>} {
  const vars = new Map<string, KerasArray[]>();
  const names = new Map<string, string>();
  const visit = (abs: string, isVars: boolean) => {
    const children = reader.children(abs);
    const datasets: string[] = [];
    for (const name of children) {
      const child = abs === '/' ? `/${name}` : `${abs}/${name}`;
      const kind = reader.kind(child);
      if (kind === 'group') visit(child, name === 'vars');
      else if (kind === 'dataset') {
        if (!isVars) throw new KerasFileError(reader.file, `${reader.part}: ${child}`, 'invalid', 'a dataset outside a vars group');
        datasets.push(name);
      }
    }
    if (!isVars) return;
    for (const name of datasets) {
      if (!INDEX.test(name))
        throw new KerasFileError(
          reader.file,
          `${reader.part}: ${abs}/${name}`,
          'invalid',
          'variables in a vars group are named 0, 1, 2, ...',
        );
    }
    const indices = datasets.map(Number).sort((a, b) => a - b);
    indices.forEach((value, i) => {
      if (value !== i)
        throw new KerasFileError(
          reader.file,
          `${reader.part}: ${abs}`,
          'invalid',
          `variables are not numbered 0..${indices.length - 1} (${i} is missing)`,
        );
    });
    const owner = abs.slice(1, -'/vars'.length).replace(/\/$/, '');
    vars.set(
      owner,
      indices.map((i) => reader.dataset(`${abs}/${i}`)),
    );
    const name = reader.hasAttribute(abs, 'name') ? reader.stringAttribute(abs, 'name') : undefined;
    if (typeof name === 'string') names.set(owner, name);
  };
  visit('/', false);
  return {vars, names};
}

/** Reads the variables of a Keras 3 `model.weights.h5` (from a `.keras` archive or on its own). */
export async function readKerasWeightsH5(
  bytes: Uint8Array,
  limits?: KerasFileLimits,
  fileName = 'model.weights.h5',
  part = 'model.weights.h5',
): Promise<{weights: KerasModelWeights; optimizer: KerasOptimizerState}> {
  const resolved = resolveLimits(limits);
  return withH5Reader(bytes, fileName, part, resolved, (reader) => {
    const {vars, names} = collectVars(reader);
    const layers: KerasVars = {};
    const optimizerVars: KerasVars = {};
    const layerNames: Record<string, string> = {};
    const optimizerNames: Record<string, string> = {};
    for (const path of [...vars.keys()].sort(comparePaths)) {
      const isOptimizer = path === 'optimizer' || path.startsWith('optimizer/');
      (isOptimizer ? optimizerVars : layers)[path] = vars.get(path)!;
      const name = names.get(path);
      if (name !== undefined) (isOptimizer ? optimizerNames : layerNames)[path] = name;
    }
    return {weights: {layers, names: layerNames}, optimizer: {vars: optimizerVars, names: optimizerNames}};
  });
}

/** Paths in a stable order: by their segments, numeric suffixes (`dense_2` < `dense_10`) in number order. */
function comparePaths(a: string, b: string): number {
  return a.localeCompare(b, 'en', {numeric: true});
}

/**
 * Reads a Keras 3 `.keras` archive. Validates the zip's whole central directory first (entry
 * count, names — no `..`, absolute paths or backslashes —, declared sizes against `limits`),
 * then inflates only `metadata.json`, `config.json` and `model.weights.h5`, checks their CRC-32,
 * parses the JSON (never evaluating it) and reads every HDF5 dataset after checking its declared
 * shape × dtype size.
 * @param bytes the archive
 * @param limits size limits (defaults: {@link DEFAULT_LIMITS})
 * @param fileName the name used in error messages
 * @throws KerasFileError (a `FormatError`) naming the file and the part for any damaged,
 * truncated, oversized or hostile content; ConfigError for invalid `limits`.
 */
export async function readKerasArchive(bytes: Uint8Array, limits?: KerasFileLimits, fileName = 'model.keras'): Promise<KerasArchive> {
  const resolved = resolveLimits(limits);
  if (!(bytes instanceof Uint8Array)) throw new ConfigError(`readKerasArchive expects a Uint8Array, got ${String(bytes)}.`);
  const zip = openZip(bytes, fileName, resolved);
  const configBytes = zip.read(KERAS_ENTRIES.config);
  if (configBytes === undefined) throw new KerasFileError(fileName, KERAS_ENTRIES.config, 'invalid', 'the archive has no config.json');
  const config = readJsonBytes(configBytes, fileName, KERAS_ENTRIES.config, resolved);
  checkModelConfig(config, fileName, KERAS_ENTRIES.config);
  const metadataBytes = zip.read(KERAS_ENTRIES.metadata);
  const metadata = metadataBytes === undefined ? {} : readJsonBytes(metadataBytes, fileName, KERAS_ENTRIES.metadata, resolved);
  const weightBytes = zip.read(KERAS_ENTRIES.weights);
  if (weightBytes === undefined) {
    const npz = zip.entries.some((e) => e.name === 'model.weights.npz');
    throw new KerasFileError(
      fileName,
      KERAS_ENTRIES.weights,
      npz ? 'unsupported' : 'invalid',
      npz
        ? 'weights in model.weights.npz (pickled) are not read; save with the default h5 weights format'
        : 'the archive has no model.weights.h5',
    );
  }
  const {weights, optimizer} = await readKerasWeightsH5(weightBytes, resolved, fileName, KERAS_ENTRIES.weights);
  return {config, metadata, weights, optimizer};
}

/** Checks a variable path given for writing. */
function checkVarPath(path: string, where: string): void {
  if (typeof path !== 'string' || (path !== '' && path.split('/').some((p) => p === '' || p === '.' || p === '..' || p === 'vars'))) {
    throw new ConfigError(
      `${where}: invalid variable path ${JSON.stringify(path)} (slash-separated names, no empty, '.', '..' or 'vars' parts).`,
    );
  }
}

/** Writes a Keras 3 `model.weights.h5` (the `<path>/vars/<i>` layout `load_model` reads). */
export async function writeKerasWeightsH5(weights: KerasModelWeights, optimizer?: KerasOptimizerState): Promise<Uint8Array> {
  const groups: Array<[string, KerasArray[], string | undefined]> = [];
  const add = (
    vars: KerasVars | undefined,
    names: Readonly<Record<string, string>> | undefined,
    where: string,
    optimizerPaths: boolean,
  ) => {
    if (vars === undefined) return;
    if (typeof vars !== 'object' || vars === null) throw new ConfigError(`${where} must be an object of path → arrays.`);
    for (const [path, arrays] of Object.entries(vars)) {
      checkVarPath(path, where);
      const isOptimizer = path === 'optimizer' || path.startsWith('optimizer/');
      if (isOptimizer !== optimizerPaths) {
        throw new ConfigError(`${where}: path '${path}' belongs in ${isOptimizer ? 'optimizer.vars' : 'weights.layers'}.`);
      }
      if (!Array.isArray(arrays)) throw new ConfigError(`${where}['${path}'] must be an array of {dtype, shape, values}.`);
      arrays.forEach((a, i) => checkArrayForWriting(a, `${where}['${path}'][${i}]`));
      groups.push([path, arrays, names?.[path]]);
    }
  };
  if (typeof weights !== 'object' || weights === null) throw new ConfigError('weights must be {layers: {path: arrays}}.');
  add(weights.layers, weights.names, 'weights.layers', false);
  add(optimizer?.vars, optimizer?.names, 'optimizer.vars', true);
  return withH5Writer((file) => {
    for (const [path, arrays, name] of groups) {
      const vars = ensureGroup(file, path === '' ? 'vars' : `${path}/vars`);
      if (name !== undefined) vars.create_attribute('name', name);
      arrays.forEach((array, i) => {
        vars.create_dataset({name: String(i), data: array.values, shape: [...array.shape], dtype: checkArrayForWriting(array, path)});
      });
    }
  });
}

/**
 * Writes a Keras 3 `.keras` archive that `keras.saving.load_model` reads: stored (uncompressed)
 * zip entries `metadata.json`, `config.json`, `model.weights.h5`, in Keras' order.
 * @throws ConfigError or ShapeError when the input is inconsistent (an array whose values do not
 * fill its shape, an unknown dtype, a bad path, a config that is not a Keras object).
 */
export async function writeKerasArchive(archive: KerasArchiveInput): Promise<Uint8Array> {
  if (typeof archive !== 'object' || archive === null)
    throw new ConfigError('writeKerasArchive expects {config, metadata?, weights, optimizer?}.');
  const {config, weights, optimizer} = archive;
  if (!isJsonObject(config) || typeof config['class_name'] !== 'string') {
    throw new ConfigError('config must be a Keras object {"class_name": ..., "config": {...}}.');
  }
  const metadata = archive.metadata ?? {keras_version: '3.15.1', date_saved: kerasDate(new Date())};
  const encoder = new TextEncoder();
  const h5 = await writeKerasWeightsH5(weights, optimizer);
  return writeZip([
    [KERAS_ENTRIES.metadata, encoder.encode(stringifyJson(metadata))],
    [KERAS_ENTRIES.config, encoder.encode(stringifyJson(config))],
    [KERAS_ENTRIES.weights, h5],
  ]);
}

/** `%Y-%m-%d@%H:%M:%S`, as Keras dates its saves. */
function kerasDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
