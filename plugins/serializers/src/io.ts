/**
 * Where artifacts go and come from: Node folders for `file://` and plain
 * paths, tfjs-core's own io handlers for every other scheme
 * (`indexeddb://`, `localstorage://`, `downloads://`, `http(s)://`), or an io
 * handler given directly.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, FormatError, describeValue} from '@trellis/core';
import {fileLocation, readModelFolder, writeModelFolder} from './node-files';
import {DEFAULT_LIMITS, checkArtifactFields, type ReadLimits} from './tfjs-format/model-json';
import {checkDataLength, entryBytes, shardBytes, weightDataBytes} from './tfjs-format/weights';

/** A URL (`file://`, a plain path, `indexeddb://`…) or a tfjs io handler (`tf.io.withSaveHandler`, `tf.io.fromMemory`). */
export type Destination = string | tf.io.IOHandler;

/** Options of writing. */
export type WriteOptions = {
  /** Bytes per shard file in Node folders (default 4 MiB, as tfjs' converter). */
  readonly shardBytes?: number;
};

function describeDestination(url: Destination): string {
  return typeof url === 'string' ? `'${url}'` : 'the io handler';
}

/**
 * Saves artifacts (JSON parts, `weightSpecs` and `weightData`).
 * @throws ConfigError for a URL no handler saves to.
 */
export async function saveArtifacts(url: Destination, artifacts: tf.io.ModelArtifacts, options: WriteOptions = {}): Promise<void> {
  if (typeof url === 'string') {
    const location = fileLocation(url);
    if (location) {
      await writeModelFolder(location, artifacts, shardBytes(weightDataBytes(artifacts.weightData), options.shardBytes));
      return;
    }
  }
  const handler = typeof url === 'string' ? pickHandler(url, tf.io.getSaveHandlers(url), 'save') : url;
  if (typeof handler.save !== 'function') throw new ConfigError(`The io handler given cannot save (it has no save method).`);
  const result = await handler.save(artifacts);
  if (result?.errors && result.errors.length > 0) {
    throw new ConfigError(`Saving to ${describeDestination(url)} failed: ${result.errors.map(String).join('; ')}.`);
  }
}

/**
 * Loads artifacts and checks them before any tensor exists: the JSON
 * fields, every manifest entry, and that the weight data has exactly the
 * bytes the entries need.
 * @throws FormatError naming the part; DataError when there is nothing at the URL; ConfigError for a URL
 *   no handler loads from.
 */
export async function loadArtifacts(
  url: Destination,
  limits: ReadLimits = {},
): Promise<{artifacts: tf.io.ModelArtifacts; data: Uint8Array; file: string}> {
  let artifacts: tf.io.ModelArtifacts;
  let file: string;
  const location = typeof url === 'string' ? fileLocation(url) : null;
  if (location) {
    artifacts = await readModelFolder(location, limits);
    file = `${location.dir}/${location.file}`;
  } else {
    const handler = typeof url === 'string' ? pickHandler(url, tf.io.getLoadHandlers(url), 'load') : url;
    if (typeof handler.load !== 'function') throw new ConfigError(`The io handler given cannot load (it has no load method).`);
    file = typeof url === 'string' ? url : 'the model';
    const loaded = await handler.load();
    if (loaded === null || typeof loaded !== 'object')
      throw new FormatError(`${file}: the io handler returned ${describeValue(loaded)}, not model artifacts.`);
    artifacts = {
      ...checkArtifactFields(loaded as unknown as Record<string, unknown>, file),
      weightSpecs: loaded.weightSpecs,
      weightData: loaded.weightData,
    };
    if (artifacts.modelTopology instanceof ArrayBuffer)
      throw new FormatError(`${file}: modelTopology is binary (a graph model); expected a layers model.`);
  }
  const specs = artifacts.weightSpecs ?? [];
  if (!Array.isArray(specs)) throw new FormatError(`${file}: weightSpecs must be an array; got ${describeValue(specs)}.`);
  const maxBytes = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const total = specs.reduce((n, s, i) => n + entryBytes(s, `${file}: weight ${i}`), 0);
  if (total > maxBytes)
    throw new FormatError(
      `${file}: the weights need ${total} bytes, more than maxBytes (${maxBytes}). Raise maxBytes if the file is trusted.`,
    );
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) throw new FormatError(`${file}: the weight '${s.name}' is listed twice.`);
    names.add(s.name);
  }
  const data = weightDataBytes(artifacts.weightData, file);
  checkDataLength(specs, data.byteLength, file);
  return {artifacts, data, file};
}

function pickHandler(url: string, handlers: tf.io.IOHandler[], what: 'save' | 'load'): tf.io.IOHandler {
  if (handlers.length === 0) {
    throw new ConfigError(
      `No handler can ${what} '${url}'. Use a folder path or file:// in Node; indexeddb://, localstorage://, downloads:// (save) or http(s):// (load) in a browser; ` +
        'or pass a tfjs io handler.',
    );
  }
  return handlers[0]!;
}
