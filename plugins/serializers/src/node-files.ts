/**
 * `file://` URLs and plain paths in Node: a model folder (`model.json` +
 * shards) written atomically and read with checks. `node:fs` is imported
 * lazily, so browsers never load it.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, FormatError, importNodeBuiltins, writeFileAtomic} from '@trellis/core';
import {DEFAULT_LIMITS, modelJsonText, parseModelJson, type ReadLimits} from './tfjs-format/model-json';
import {checkShardPath, concatBytes, shardNames} from './tfjs-format/weights';

/** Where a model lives on disk: its folder and the name of its JSON file there. */
export type FileLocation = {readonly dir: string; readonly file: string};

/** The parts of `node:fs/promises` used here (tests pass a wrapper to simulate failures). */
export type FileSystem = Pick<typeof import('node:fs/promises'), 'mkdir' | 'open' | 'rename' | 'unlink' | 'readFile' | 'stat'>;

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * The folder and JSON file a `file://` URL or a plain path names, or null for
 * another scheme (`indexeddb://`, `http://`). A path ending in `.json` names
 * the JSON file itself; any other names the folder (`model.json` inside).
 */
export function fileLocation(url: string): FileLocation | null {
  const scheme = SCHEME.exec(url);
  let path = url;
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'file') return null;
    path = decodeURIComponent(url.slice(scheme[0].length));
  }
  if (path === '') throw new ConfigError(`Expected a folder path or file:// URL; got '${url}'.`);
  const normalized = path.replace(/[\\/]+$/, '') || path;
  if (/\.json$/i.test(normalized)) {
    const cut = Math.max(normalized.lastIndexOf('/'), normalized.lastIndexOf('\\'));
    return {dir: cut === -1 ? '.' : normalized.slice(0, cut) || '/', file: normalized.slice(cut + 1)};
  }
  return {dir: normalized, file: 'model.json'};
}

const NO_NODE =
  "file:// URLs and folder paths need Node's file system, which is not available here; use indexeddb://, localstorage://, downloads:// or http(s):// in a browser.";

/** `node:fs/promises`, loaded on first use (a computed specifier, so bundlers leave it out of browser builds). */
async function nodeFs(): Promise<FileSystem> {
  return (await importNodeBuiltins(NO_NODE)).fs;
}

/**
 * Deletes what a `file://` URL or plain path names: the model folder, or the
 * JSON file a `.json` path names. Returns false, deleting nothing, for
 * another scheme.
 */
export async function removeFileLocation(url: string): Promise<boolean> {
  const location = fileLocation(url);
  if (location === null) return false;
  const {fs} = await importNodeBuiltins(NO_NODE);
  const namesFile = /\.json$/i.test(url.replace(/[\\/]+$/, ''));
  await fs.rm(namesFile ? join(location.dir, location.file) : location.dir, {recursive: true, force: true});
  return true;
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

/** FNV-1a over the bytes, as 8 hex digits: shard names change when their contents do. */
function contentHash(data: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) {
    h ^= data[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Writes `data` to `dir/name` atomically with core's `writeFileAtomic`: a
 * temporary file in the same folder, written in full and fsynced, renamed
 * over the file, then the folder synced. A crash leaves either the old file
 * or the new one, never a mix; the temporary file is removed on failure.
 */
async function writeAtomic(fs: FileSystem, dir: string, name: string, data: Uint8Array | string): Promise<void> {
  await writeFileAtomic(join(dir, name), data, {fs, unavailable: NO_NODE});
}

/**
 * Writes one file atomically (a `.keras` or `.h5` file): a temporary file in
 * the same folder, fsynced, renamed over `path`, then the folder synced. The
 * folder is made when missing. A crash leaves the previous file or the new
 * one, never a mix.
 * @throws ConfigError when `path` is a folder; the file system's error otherwise.
 */
export async function writeFileAtomically(path: string, data: Uint8Array, fs?: FileSystem): Promise<void> {
  const files = fs ?? (await nodeFs());
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dir = cut === -1 ? '.' : path.slice(0, cut) || '/';
  const name = path.slice(cut + 1);
  if (name === '') throw new ConfigError(`Expected a file path; got '${path}', a folder.`);
  await files.mkdir(dir, {recursive: true});
  try {
    if ((await files.stat(path)).isDirectory()) throw new ConfigError(`Cannot write '${path}': it is a folder.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeAtomic(files, dir, name, data);
}

/**
 * Reads one file of at most `maxBytes` bytes.
 * @throws DataError when there is no file at `path`; FormatError when it is larger than `maxBytes`.
 */
export async function readFileBounded(path: string, maxBytes: number, fs?: FileSystem): Promise<Uint8Array> {
  const files = fs ?? (await nodeFs());
  let size: number;
  try {
    const stat = await files.stat(path);
    if (!stat.isFile()) throw new DataError(`'${path}' is not a file.`);
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DataError(`No file at '${path}'.`, {cause: error});
    throw error;
  }
  if (size > maxBytes)
    throw new FormatError(`${path} is ${size} bytes, more than the limit (${maxBytes}). Raise the limit if the file is trusted.`);
  return new Uint8Array(await files.readFile(path));
}

/**
 * Writes a model folder: shards of `data` (each at most `shardSize` bytes,
 * named `group1-shard<i>of<n>.<hash>.bin`), then `model.json` last, each
 * atomically, so a reader sees the previous model or the new one. Shards of
 * the previous `model.json` that the new one does not use are removed
 * afterwards.
 * @throws ConfigError when the folder path is a file; the file system's error otherwise.
 */
export async function writeModelFolder(
  location: FileLocation,
  artifacts: tf.io.ModelArtifacts,
  shards: readonly Uint8Array[],
  fs?: FileSystem,
): Promise<void> {
  const files = fs ?? (await nodeFs());
  const {dir, file} = location;
  try {
    await files.mkdir(dir, {recursive: true});
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new ConfigError(`Cannot save a model into '${dir}': it is a file, not a folder.`, {cause: error});
    throw error;
  }
  const old = await previousShards(files, location);
  const hash = contentHash(concatBytes(shards));
  const names = shardNames(shards.length).map((n) => n.replace(/\.bin$/, `.${hash}.bin`));
  try {
    for (let i = 0; i < shards.length; i++) await writeAtomic(files, dir, names[i]!, shards[i]!);
    await writeAtomic(files, dir, file, modelJsonText(artifacts, names));
  } catch (error) {
    // The previous model.json is untouched; remove the new shards it does not use.
    for (const name of names) if (!old.includes(name)) await files.unlink(join(dir, name)).catch(() => undefined);
    throw error;
  }
  for (const stale of old) if (!names.includes(stale)) await files.unlink(join(dir, stale)).catch(() => undefined);
}

/** The shard names of the `model.json` already at `location` (none when there is none or it is unreadable). */
async function previousShards(fs: FileSystem, {dir, file}: FileLocation): Promise<string[]> {
  try {
    const json = JSON.parse(await fs.readFile(join(dir, file), 'utf8')) as {weightsManifest?: {paths?: unknown[]}[]};
    const paths = (json.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
    return paths.flatMap((p) => {
      try {
        return [checkShardPath(p, 'old manifest')];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/**
 * Reads a model folder with checks, before any tensor exists: the JSON's
 * size, its fields and manifest, every shard's existence and size (their
 * sum per group must be what the manifest needs).
 * @throws DataError when there is no model at `location`; FormatError naming the file and the part for a
 *   truncated or corrupt `model.json`, a missing or truncated shard, or sizes beyond the limits.
 */
export async function readModelFolder(location: FileLocation, limits: ReadLimits = {}, fs?: FileSystem): Promise<tf.io.ModelArtifacts> {
  const files = fs ?? (await nodeFs());
  const {dir, file} = location;
  const jsonPath = join(dir, file);
  const maxJson = limits.maxJsonBytes ?? DEFAULT_LIMITS.maxJsonBytes;
  let size: number;
  try {
    const stat = await files.stat(jsonPath);
    if (!stat.isFile()) throw new DataError(`'${jsonPath}' is not a file; expected a model.json (or the folder that holds it).`);
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DataError(`No model at '${dir}': '${jsonPath}' does not exist.`, {cause: error});
    throw error;
  }
  if (size > maxJson)
    throw new FormatError(`${jsonPath} is ${size} bytes, more than maxJsonBytes (${maxJson}). Raise maxJsonBytes if the file is trusted.`);
  const parsed = parseModelJson(await files.readFile(jsonPath, 'utf8'), jsonPath, limits);
  const parts: Uint8Array[] = [];
  for (const group of parsed.groups) {
    const paths = group.paths.map((p) => join(dir, checkShardPath(p, `${jsonPath}: weightsManifest`)));
    let found = 0;
    for (const path of paths) {
      try {
        found += (await files.stat(path)).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new FormatError(`${jsonPath} names the weight file '${path}', which does not exist.`, {cause: error});
        throw error;
      }
    }
    if (found !== group.bytes) {
      throw new FormatError(
        `The weight files ${paths.map((p) => `'${p}'`).join(', ')} hold ${found} bytes; ${jsonPath}'s manifest needs ${group.bytes}` +
          `${found < group.bytes ? ' (truncated)' : ' (corrupt, or of another model.json)'}.`,
      );
    }
    for (const path of paths) parts.push(new Uint8Array(await files.readFile(path)));
  }
  const data = concatBytes(parts);
  return {...parsed.artifacts, weightData: data.buffer as ArrayBuffer};
}
