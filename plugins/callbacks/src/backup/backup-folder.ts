/**
 * A backup folder on disk: checkpoints written so that a crash at any moment
 * leaves the last complete one readable.
 *
 * Layout: `<dir>/ckpt-<n>/{header.json, tensors.bin}` and `<dir>/latest`
 * naming the newest complete checkpoint. A checkpoint is written into a
 * temporary folder, its files flushed to disk, then renamed to `ckpt-<n>`;
 * only then is `latest` replaced (temporary file, flush, rename), and older
 * checkpoints are deleted. A reader follows `latest`, so it never sees a
 * half-written checkpoint.
 * @module
 */
import {DataError, importNodeBuiltins, syncFolder, writeFileSynced, type NodeBuiltins, type NodeFs} from '@trellis/core';

type Path = NodeBuiltins['path'];

/** `node:fs/promises` and `node:path`, loaded on first use (the package must import in browsers). */
function node(): Promise<NodeBuiltins> {
  return importNodeBuiltins("backupAndRestore needs Node's file system (a backupDir on disk), which is not available here.");
}

/** The backup folder of one `backupAndRestore`. */
export class BackupFolder {
  #serial = 0;

  constructor(readonly dir: string) {}

  /**
   * Writes a checkpoint (its JSON header and tensor blob) as the newest one,
   * keeping the `keep` newest complete checkpoints.
   */
  async write(header: string, blob: Uint8Array, keep: number): Promise<void> {
    const {fs, path} = await node();
    await fs.mkdir(this.dir, {recursive: true});
    const pid = (globalThis as {process?: {pid?: number}}).process?.pid ?? 0;
    const serial = (this.#serial += 1);
    const name = `ckpt-${Date.now()}-${pid}-${serial}`;
    const temporary = path.join(this.dir, `.tmp-${name}`);
    await fs.mkdir(temporary);
    try {
      await writeFileSynced(path.join(temporary, 'tensors.bin'), blob, fs);
      await writeFileSynced(path.join(temporary, 'header.json'), header, fs);
      await syncFolder(temporary, fs);
      await fs.rename(temporary, path.join(this.dir, name));
      const latest = path.join(this.dir, 'latest');
      const latestTemporary = path.join(this.dir, `.tmp-latest-${pid}-${serial}`);
      await writeFileSynced(latestTemporary, name, fs);
      await fs.rename(latestTemporary, latest);
      await syncFolder(this.dir, fs);
    } catch (error) {
      await fs.rm(temporary, {recursive: true, force: true}).catch(() => undefined);
      throw error;
    }
    await this.#prune(fs, path, keep);
  }

  /** The newest complete checkpoint's header text and blob, or null when the folder holds none. */
  async read(): Promise<{header: string; blob: Uint8Array; where: string} | null> {
    const {fs, path} = await node();
    let name: string;
    try {
      name = (await fs.readFile(path.join(this.dir, 'latest'), 'utf8')).trim();
    } catch (error) {
      if ((error as {code?: string}).code === 'ENOENT') return null;
      throw error;
    }
    if (!/^ckpt-[0-9]+-[0-9]+-[0-9]+$/.test(name)) {
      throw new DataError(
        `The backup folder ${this.dir} is corrupt: 'latest' names '${name.slice(0, 80)}', not a checkpoint. Delete the folder to start afresh.`,
      );
    }
    const where = path.join(this.dir, name);
    try {
      const [header, blob] = await Promise.all([
        fs.readFile(path.join(where, 'header.json'), 'utf8'),
        fs.readFile(path.join(where, 'tensors.bin')),
      ]);
      return {header, blob: new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength), where};
    } catch (error) {
      throw new DataError(
        `The checkpoint ${where} that 'latest' names cannot be read (${(error as Error).message}). Delete the backup folder to start afresh.`,
        {cause: error},
      );
    }
  }

  /** Deletes every checkpoint, the `latest` pointer and temporary leftovers (the folder itself stays when it holds anything else). */
  async clear(): Promise<void> {
    const {fs, path} = await node();
    let entries: string[];
    try {
      entries = await fs.readdir(this.dir);
    } catch (error) {
      if ((error as {code?: string}).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry === 'latest' || entry.startsWith('ckpt-') || entry.startsWith('.tmp-')) {
        await fs.rm(path.join(this.dir, entry), {recursive: true, force: true});
      }
    }
    await fs.rmdir(this.dir).catch(() => undefined);
  }

  /** Keeps the `keep` newest checkpoints (the one `latest` names among them) and drops leftovers of crashed writes. */
  async #prune(fs: NodeFs, path: Path, keep: number): Promise<void> {
    const latest = (await fs.readFile(path.join(this.dir, 'latest'), 'utf8')).trim();
    const entries = await fs.readdir(this.dir);
    const order = (name: string) => name.split('-').slice(1).map(Number);
    const checkpoints = entries
      .filter((e) => e.startsWith('ckpt-'))
      .sort((a, b) => {
        const [x, y] = [order(a), order(b)];
        return x[0]! - y[0]! || x[2]! - y[2]!;
      });
    const kept = new Set([latest, ...checkpoints.slice(-keep)]);
    for (const entry of entries) {
      // Temporary entries are leftovers of writes a crash interrupted (this one has finished).
      const stale = (entry.startsWith('ckpt-') && !kept.has(entry)) || entry.startsWith('.tmp-');
      if (stale) await fs.rm(path.join(this.dir, entry), {recursive: true, force: true});
    }
  }
}
