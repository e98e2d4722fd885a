/**
 * `@trellis/keras-files`, loaded on demand: only a Keras format pulls in its
 * zip and HDF5 code (internal).
 * @module
 */
import {ConfigError, type TrellisErrorOptions} from '@trellis/core';

/** What this package uses of `@trellis/keras-files`. */
export type KerasFilesModule = typeof import('@trellis/keras-files');

/**
 * `@trellis/keras-files` is not installed, and a Keras format (`.keras`,
 * `.h5`, `.weights.h5`) was asked for. A `ConfigError` (code `'config'`).
 */
export class KerasFilesMissingError extends ConfigError {
  /**
   * @param what what was asked for (`saveModel(…, 'model.keras')`)
   * @param options the import's error, as `cause`
   */
  constructor(what: string, options: TrellisErrorOptions = {}) {
    super(
      `${what} needs the package @trellis/keras-files (Keras .keras and .h5 files), which is not installed. ` +
        'Install it next to @trellis/serializers (npm install @trellis/keras-files), or save in the TensorFlow.js format (a folder, or a path ending in .json).',
      options,
    );
  }
}

let loading: Promise<KerasFilesModule> | undefined;

/**
 * Imports `@trellis/keras-files` (once).
 * @param what names the call in the error
 * @throws KerasFilesMissingError when the package cannot be imported.
 */
export async function kerasFiles(what: string): Promise<KerasFilesModule> {
  loading ??= import('@trellis/keras-files');
  try {
    return await loading;
  } catch (cause) {
    loading = undefined;
    throw new KerasFilesMissingError(what, {cause});
  }
}
