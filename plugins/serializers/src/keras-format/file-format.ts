/**
 * Which file format a destination names: Keras' by the extension (or an
 * explicit `format`), the TensorFlow.js layers format otherwise (internal).
 * @module
 */
import {ConfigError, describeValue} from '@trellis/core';

/** The formats `saveModel`/`loadModel` read and write. */
export type ModelFormat = 'keras' | 'h5' | 'tfjs';

/** A Keras file: `.keras` (Keras 3), legacy `.h5` model, or a Keras 3 `.weights.h5` weights file. */
export type KerasFileKind = 'keras' | 'h5' | 'weights.h5';

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * The local path a `file://` URL or plain path names, or null for another
 * scheme (`indexeddb://`, `http://`) or an io handler.
 */
export function localPath(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const scheme = SCHEME.exec(url);
  if (!scheme) return url;
  if (scheme[1]!.toLowerCase() !== 'file') return null;
  return decodeURIComponent(url.slice(scheme[0].length));
}

/**
 * The Keras file `url` names, from `format` when given, else from the
 * extension (`.keras`; `.weights.h5` when `weights`; `.h5`/`.hdf5`), or null
 * for the TensorFlow.js format.
 * @throws ConfigError for an unknown `format`, or a Keras format asked for a destination that is not a local file.
 */
export function kerasFileKind(url: unknown, format: unknown, weights: boolean): KerasFileKind | null {
  if (format !== undefined && format !== 'keras' && format !== 'h5' && format !== 'tfjs') {
    throw new ConfigError(`format must be 'keras', 'h5' or 'tfjs'; got ${describeValue(format)}.`);
  }
  if (format === 'tfjs') return null;
  const path = localPath(url);
  const lower = path?.toLowerCase().replace(/[\\/]+$/, '') ?? '';
  let kind: KerasFileKind | null = null;
  if (format === 'keras' || format === 'h5') kind = weights ? 'weights.h5' : format;
  else if (lower.endsWith('.keras')) kind = 'keras';
  else if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) kind = weights ? 'weights.h5' : 'h5';
  if (kind !== null && path === null) {
    throw new ConfigError(
      `Keras files (${kind}) are read and written as local files: pass a path or file:// URL; got ${typeof url === 'string' ? `'${url}'` : 'an io handler'}.`,
    );
  }
  return kind;
}
