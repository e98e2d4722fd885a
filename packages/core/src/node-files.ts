/**
 * Node's file system for packages that must also import in browsers: the
 * builtins are loaded on first use through a computed specifier (bundlers
 * leave it alone, so a browser bundle holds no `node:` import), and files
 * are written so that a crash never leaves half of one.
 * @module
 */
import {ConfigError} from './errors';

/** `node:fs/promises`. */
export type NodeFs = typeof import('node:fs/promises');

/** `node:fs/promises`, `node:path` and `node:os`, as {@link importNodeBuiltins} loads them. */
export type NodeBuiltins = {
  readonly fs: NodeFs;
  readonly path: typeof import('node:path');
  readonly os: typeof import('node:os');
};

/** The parts of `node:fs/promises` that {@link writeFileAtomic}, {@link writeFileSynced} and {@link syncFolder} use. */
export type FileWriter = Pick<NodeFs, 'open' | 'rename' | 'unlink'>;

/**
 * Loads `node:fs/promises`, `node:path` and `node:os` (never at module load:
 * call it where a file is first read or written). The specifiers are
 * computed and marked `webpackIgnore` / `@vite-ignore`, so bundlers neither
 * follow nor rewrite them and the calling package still imports in a browser.
 * @param unavailable The message of the error thrown where Node is not
 *   available: what needs the file system, and what to use instead.
 * @throws ConfigError with `unavailable` (the import's error as `cause`) where Node's builtins cannot be imported.
 */
export async function importNodeBuiltins(unavailable: string): Promise<NodeBuiltins> {
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  const osName = 'node:os';
  try {
    const [fs, path, os] = await Promise.all([
      import(/* webpackIgnore: true */ /* @vite-ignore */ fsName) as Promise<NodeBuiltins['fs']>,
      import(/* webpackIgnore: true */ /* @vite-ignore */ pathName) as Promise<NodeBuiltins['path']>,
      import(/* webpackIgnore: true */ /* @vite-ignore */ osName) as Promise<NodeBuiltins['os']>,
    ]);
    return {fs, path, os};
  } catch (cause) {
    throw new ConfigError(unavailable, {cause});
  }
}

/** Options of {@link writeFileAtomic}. */
export type WriteFileAtomicOptions = {
  /** The file system to write with; default Node's (tests pass a wrapper to simulate failures). */
  readonly fs?: FileWriter;
  /** The `ConfigError` message where Node is not available; default a generic one. */
  readonly unavailable?: string;
};

const NO_FILE_SYSTEM = "Writing files needs Node's file system, which is not available here.";

/**
 * Writes `data` to `path` atomically: a new temporary file in the same folder
 * (`.<name>.<pid>.<random>.tmp`, mode `0o644`), written in full and flushed to
 * disk (`fsync`), renamed over `path`, then the folder flushed where the
 * platform allows (not on Windows). A reader sees the old file or the whole
 * new one, never a mix; on failure the temporary file is removed and the old
 * file is untouched. The folder must exist.
 * @throws ConfigError where Node is not available (and no `fs` is given); the file system's error otherwise.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileAtomicOptions = {}): Promise<void> {
  const node = await importNodeBuiltins(options.unavailable ?? NO_FILE_SYSTEM);
  const fs = options.fs ?? node.fs;
  const folder = node.path.dirname(path);
  const pid = (globalThis as {process?: {pid?: number}}).process?.pid ?? 0;
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const temporary = node.path.join(folder, `.${node.path.basename(path)}.${pid}.${unique}.tmp`);
  try {
    await writeAndSync(fs, temporary, data, 'wx', 0o644);
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder, fs);
}

/**
 * Writes `data` to `file` (created or truncated) and flushes it to disk
 * (`fsync`) before returning: the step before a rename that publishes it.
 * @throws the file system's error.
 */
export async function writeFileSynced(file: string, data: Uint8Array | string, fs: FileWriter): Promise<void> {
  await writeAndSync(fs, file, data, 'w');
}

/**
 * Flushes a folder's entries (the renames and new files in it) to disk, where
 * the platform allows; does nothing where it cannot open or flush a folder
 * (Windows), whose renames are atomic regardless. Never throws.
 */
export async function syncFolder(folder: string, fs: FileWriter): Promise<void> {
  try {
    const handle = await fs.open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or flush a folder.
  }
}

async function writeAndSync(fs: FileWriter, file: string, data: Uint8Array | string, flags: string, mode?: number): Promise<void> {
  const handle = await fs.open(file, flags, mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  await handle.close();
}
