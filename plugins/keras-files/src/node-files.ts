/**
 * Node helpers: read and atomically write `.keras` and `.h5` files. `node:fs` is loaded only
 * when one of these is called, so the package also works in browsers.
 * @module
 */
import {ConfigError, importNodeBuiltins, writeFileAtomic as writeFileAtomicUnchecked} from '@trellis/core';
import {KerasFileError} from './errors';
import {readKerasArchive, writeKerasArchive, type KerasArchive, type KerasArchiveInput} from './keras-archive';
import {readLegacyH5, writeLegacyH5, type LegacyH5Model} from './legacy-h5';
import {resolveLimits, type KerasFileLimits} from './limits';

const NO_NODE = "Reading and writing files needs Node's file system, which is not available here; use the functions on bytes instead.";

async function readBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  if (typeof path !== 'string' || path === '') throw new ConfigError(`Expected a file path, got ${String(path)}.`);
  const {fs} = await importNodeBuiltins(NO_NODE);
  const handle = await fs.open(path, 'r');
  try {
    const {size} = await handle.stat();
    if (size > maxBytes) throw new KerasFileError(path, 'file', 'limit', `${size} bytes, more than the ${maxBytes} bytes the limits allow`);
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const {bytesRead} = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk
 * (`fsync`), then renamed over `path`, and the folder flushed where the platform allows. A reader
 * sees the old file or the whole new one, never a partial file; on failure the temporary file is
 * removed. `@trellis/core`'s `writeFileAtomic`, with this package's path check and messages.
 * @throws ConfigError for an empty path, or where Node is not available; the file system's error otherwise.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new ConfigError(`Expected a file path, got ${String(path)}.`);
  await writeFileAtomicUnchecked(path, bytes, {unavailable: NO_NODE});
}

/** Reads a `.keras` file (Node). Errors name the path. See {@link readKerasArchive}. */
export async function readKerasFile(path: string, limits?: KerasFileLimits): Promise<KerasArchive> {
  const resolved = resolveLimits(limits);
  // A zip is not much larger than what it declares uncompressed: headers, and deflate's worst case.
  const bytes = await readBounded(path, Math.ceil(resolved.maxTotalBytes * 1.01) + 1024 * 1024);
  return readKerasArchive(bytes, resolved, path);
}

/** Writes a `.keras` file atomically (Node). See {@link writeKerasArchive}. */
export async function writeKerasFile(path: string, archive: KerasArchiveInput): Promise<void> {
  await writeFileAtomic(path, await writeKerasArchive(archive));
}

/** Reads a legacy `.h5` model file (Node). Errors name the path. See {@link readLegacyH5}. */
export async function readLegacyH5File(path: string, limits?: KerasFileLimits): Promise<LegacyH5Model> {
  const resolved = resolveLimits(limits);
  const bytes = await readBounded(path, Math.ceil(resolved.maxTotalDatasetBytes * 1.01) + 64 * 1024 * 1024);
  return readLegacyH5(bytes, resolved, path);
}

/** Writes a legacy `.h5` model file atomically (Node). See {@link writeLegacyH5}. */
export async function writeLegacyH5File(path: string, model: LegacyH5Model): Promise<void> {
  await writeFileAtomic(path, await writeLegacyH5(model));
}
