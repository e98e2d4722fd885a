import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {zipSync} from 'fflate';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {readKerasFile, readLegacyH5File, writeFileAtomic, writeKerasFile, writeLegacyH5File, readKerasArchive} from '../src/index';
import {expectFileError, sampleArchive, sampleLegacy} from './helpers';

/** Every path under `dir`, relative. */
function tree(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).sort();
}

describe('Node helpers', () => {
  let root: string;
  let target: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'keras-files-'));
    target = join(root, 'target');
    mkdirSync(target);
  });
  afterEach(() => rmSync(root, {recursive: true, force: true}));

  it('writes and reads .keras and .h5 files, leaving no temporary files', async () => {
    const input = sampleArchive();
    await writeKerasFile(join(target, 'model.keras'), input);
    await writeLegacyH5File(join(target, 'model.h5'), sampleLegacy());
    expect(tree(target)).toEqual(['model.h5', 'model.keras']);
    const archive = await readKerasFile(join(target, 'model.keras'));
    expect(archive.weights.layers).toEqual(input.weights.layers);
    expect(await readLegacyH5File(join(target, 'model.h5'))).toEqual(sampleLegacy());
  });

  it('replaces an existing file whole', async () => {
    const path = join(target, 'model.keras');
    writeFileSync(path, 'old content');
    await writeKerasFile(path, sampleArchive());
    expect((await readKerasFile(path)).config).toEqual(sampleArchive().config);
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(tree(target)).toEqual(['model.keras']);
  });

  it('does not touch the target when the content cannot be written', async () => {
    const path = join(target, 'model.keras');
    writeFileSync(path, 'old content');
    await expect(writeKerasFile(path, {...sampleArchive(), config: null as never})).rejects.toThrow();
    await expect(writeFileAtomic(join(root, 'missing-folder', 'x.keras'), new Uint8Array(1))).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old content');
    expect(tree(target)).toEqual(['model.keras']);
  });

  it('reading hostile files throws typed errors naming the path and writes nothing anywhere', async () => {
    const config = new TextEncoder().encode('{"class_name": "Sequential", "config": {}}');
    const hostile = {
      'traversal.keras': zipSync({'config.json': config, '../evil': new Uint8Array([1]), '../../evil2': new Uint8Array([1])}),
      'absolute.keras': zipSync({'config.json': config, [`${root}/evil3`]: new Uint8Array([1])}),
      'truncated.keras': (await import('../src/index')).writeKerasArchive(sampleArchive()).then((b) => b.subarray(0, b.length - 50)),
    };
    const before = tree(root);
    for (const [name, bytes] of Object.entries(hostile)) {
      const path = join(target, name);
      writeFileSync(path, await bytes);
      const error = await expectFileError(readKerasFile(path), name === 'truncated.keras' ? 'truncated' : 'unsafe');
      expect(error.file).toBe(path);
      expect(error.message.startsWith(`${path}, `)).toBe(true);
    }
    expect(tree(root)).toEqual([...before, ...Object.keys(hostile).map((n) => join('target', n))].sort());
    expect(existsSync(join(root, 'evil'))).toBe(false);
    expect(existsSync(join(root, 'evil3'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'evil'))).toBe(false);
  });

  it('refuses files larger than the limits allow before reading them', async () => {
    const path = join(target, 'model.keras');
    await writeKerasFile(path, sampleArchive());
    await expectFileError(readKerasFile(path, {maxTotalBytes: 1}), 'limit', 'zip entry "metadata.json"');
    const big = join(target, 'big.keras');
    writeFileSync(big, new Uint8Array(2 * 1024 * 1024));
    await expectFileError(readKerasFile(big, {maxTotalBytes: 1000}), 'limit', 'file');
    await expect(readKerasArchive(readFileSync(path))).resolves.toBeDefined();
  });
});
