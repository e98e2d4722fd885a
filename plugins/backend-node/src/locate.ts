/**
 * Finding the installed tfjs-node packages without loading them.
 * @module
 */

/** The two packages that provide the `tensorflow` backend. */
export type NodePackageName = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

export const CPU_PACKAGE: NodePackageName = '@tensorflow/tfjs-node';
export const GPU_PACKAGE: NodePackageName = '@tensorflow/tfjs-node-gpu';

/** An installed package: its version and folder. */
export type InstalledPackage = {readonly name: NodePackageName; readonly version: string; readonly dir: string};

/**
 * The installed `name`, found as Node finds a package for this plugin's own
 * `import(name)`: in the `node_modules` folders of this module's folder and
 * its parents, then of the working directory and its parents; or from `from`
 * alone when given (a folder or a file). `NODE_PATH` and global folders are
 * not searched (ESM imports ignore them). `undefined` when not installed.
 */
export async function findPackage(name: NodePackageName, from?: string): Promise<InstalledPackage | undefined> {
  const path = await import('node:path');
  const fs = await import('node:fs');
  const {fileURLToPath} = await import('node:url');
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(moduleUrl());
  const starts =
    from === undefined
      ? [path.dirname(here), process.cwd()]
      : [fs.existsSync(from) && fs.statSync(from).isDirectory() ? from : path.dirname(from)];
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'node_modules', name, 'package.json');
      if (fs.existsSync(manifest)) {
        const real = fs.realpathSync(manifest);
        let version: unknown;
        try {
          ({version} = JSON.parse(fs.readFileSync(real, 'utf8')) as {version?: unknown});
        } catch {
          version = undefined;
        }
        return {name, version: typeof version === 'string' ? version : 'unknown', dir: path.dirname(real)};
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

function moduleUrl(): string {
  return import.meta.url;
}
