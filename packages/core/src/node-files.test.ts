import * as fs from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {importNodeBuiltins, syncFolder, writeFileAtomic, writeFileSynced, type FileWriter} from './node-files';

let folder = '';

beforeEach(async () => {
  folder = await fs.mkdtemp(join(tmpdir(), 'trellis-node-files-'));
});

afterEach(async () => {
  await fs.rm(folder, {recursive: true, force: true});
});

/** The real file system, failing every rename (a crash between writing and publishing a file). */
const failingRename: FileWriter = {
  ...fs,
  rename: async () => {
    throw Object.assign(new Error('simulated crash'), {code: 'EIO'});
  },
};

describe('node files', () => {
  it('importNodeBuiltins loads fs, path and os in Node', async () => {
    const node = await importNodeBuiltins('unused');
    expect(typeof node.fs.open).toBe('function');
    expect(node.path.join('a', 'b')).toBe(join('a', 'b'));
    expect(typeof node.os.hostname()).toBe('string');
  });

  it('writeFileAtomic writes the data whole and leaves no temporary file', async () => {
    const file = join(folder, 'model.keras');
    const bytes = Uint8Array.from({length: 100_000}, (_, i) => i % 251);
    await writeFileAtomic(file, bytes);
    expect(new Uint8Array(await fs.readFile(file))).toEqual(bytes);
    await writeFileAtomic(file, 'replaced\n');
    expect(await fs.readFile(file, 'utf8')).toBe('replaced\n');
    expect(await fs.readdir(folder)).toEqual(['model.keras']);
  });

  it('writeFileAtomic that fails leaves the old file intact and no temporary file', async () => {
    const file = join(folder, 'log.csv');
    await fs.writeFile(file, 'old');
    await expect(writeFileAtomic(file, 'new', {fs: failingRename})).rejects.toThrow('simulated crash');
    expect(await fs.readFile(file, 'utf8')).toBe('old');
    expect(await fs.readdir(folder)).toEqual(['log.csv']);
  });

  it('writeFileAtomic into a missing folder throws the file system error and creates nothing', async () => {
    await expect(writeFileAtomic(join(folder, 'missing', 'x.json'), '{}')).rejects.toMatchObject({code: 'ENOENT'});
    expect(await fs.readdir(folder)).toEqual([]);
  });

  it('writeFileSynced creates or truncates a file; syncFolder never throws', async () => {
    const file = join(folder, 'latest');
    await writeFileSynced(file, 'a long first name', fs);
    await writeFileSynced(file, Uint8Array.of(104, 105), fs);
    expect(await fs.readFile(file, 'utf8')).toBe('hi');
    await expect(syncFolder(folder, fs)).resolves.toBeUndefined();
    await expect(syncFolder(join(folder, 'missing'), fs)).resolves.toBeUndefined();
  });
});
