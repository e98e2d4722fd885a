/**
 * Local files in a browser: there are none. The `"browser"` condition of this
 * package's `#local-files` import selects this module, so a browser bundle
 * holds no Node builtin; the loaders that read a folder throw a
 * `ConfigError` saying what works in a browser instead (internal).
 * @module
 */
import {ConfigError} from '@trellis/core';
import type {LocalFiles} from './local-files';

function noFileSystem(who: string, browserHint: string): ConfigError {
  return new ConfigError(
    `${who} was asked to read files from a folder, which needs Node's file system; a browser has none ` +
      `(this is the browser build of @trellis/data). ${browserHint}`,
  );
}

/** Always throws: a browser cannot read a local folder. */
export async function localFiles(who: string, browserHint: string): Promise<LocalFiles> {
  throw noFileSystem(who, browserHint);
}

/** Always throws: a browser has no installed npm packages to read files from. */
export async function installedPackageDir(packageName: string, _sub: string, _dirHint: string): Promise<string> {
  throw noFileSystem(`Reading the ${packageName} package`, 'Serve the files with the page and load them from a URL.');
}
