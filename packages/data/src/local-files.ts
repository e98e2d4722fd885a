/**
 * Local files in Node: the file system and path modules a loader reads a
 * folder with, and the folder of an installed data package. Reached through
 * the `#local-files` import of this package, whose `"browser"` condition
 * selects `local-files.browser.ts` instead, so browser bundles never see a
 * Node builtin (internal).
 * @module
 */
import {DataError} from '@trellis/core';

/** What a loader reads a local folder with: Node's `fs/promises` and `path`. */
export type LocalFiles = {
  readonly fs: typeof import('node:fs/promises');
  readonly path: typeof import('node:path');
};

/**
 * Node's `fs/promises` and `path`, imported now (never when the package is
 * imported). `who` and `browserHint` serve the browser variant's error only.
 */
export async function localFiles(_who: string, _browserHint: string): Promise<LocalFiles> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return {fs, path};
}

/**
 * The folder of an installed npm package (`packageName/package.json`
 * resolved from this module, then from the working directory), joined with
 * `sub`. Works in both builds: `__filename` in CommonJS, `import.meta.url` in ESM.
 * @throws DataError saying how to install the package or what to pass as `dir`.
 */
export async function installedPackageDir(packageName: string, sub: string, dirHint: string): Promise<string> {
  const {createRequire} = await import('node:module');
  const path = await import('node:path');
  const anchors: string[] = [typeof __filename === 'string' ? __filename : moduleUrl(), path.join(process.cwd(), 'noop.js')];
  let lastError: unknown;
  for (const anchor of anchors) {
    try {
      return path.join(path.dirname(createRequire(anchor).resolve(`${packageName}/package.json`)), sub);
    } catch (error) {
      lastError = error;
    }
  }
  throw new DataError(
    `Cannot find the ${packageName} package (looked from ${anchors.join(' and ')}). Install it ` +
      `(npm install ${packageName}) or pass 'dir', ${dirHint}.`,
    {cause: lastError},
  );
}

function moduleUrl(): string {
  return import.meta.url;
}
