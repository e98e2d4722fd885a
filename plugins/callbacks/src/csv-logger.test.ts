import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ConfigError} from '@trellis/core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {replay} from '../test/replay';
import {csvLogger} from './csv-logger';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'trellis-csv-'));
});
afterAll(() => rm(folder, {recursive: true, force: true}));

const logs = [
  {loss: 0.5, accuracy: 0.75, val_loss: 0.625, val_accuracy: 1},
  {loss: 0.25, accuracy: 1e-5, val_loss: Number.NaN, val_accuracy: 0.1},
];

describe('csvLogger', () => {
  it("sends Keras' rows to a sink: epoch, then the sorted keys, values as Python writes them", async () => {
    const lines: string[] = [];
    await replay([csvLogger({sink: (l) => lines.push(l)})], logs);
    expect(lines).toEqual(['epoch,accuracy,loss,val_accuracy,val_loss', '0,0.75,0.5,1.0,0.625', '1,1e-05,0.25,0.1,nan']);
  });

  it('adds val_ columns (NA) when there is no validation, writes NA for a key that went missing, quotes as Python', async () => {
    const lines: string[] = [];
    await replay([csvLogger({sink: (l) => lines.push(l), separator: ';'})], [{loss: 1, 'a;b': 2}, {loss: 3}]);
    expect(lines).toEqual(['epoch;"a;b";loss;"val_a;b";val_loss', '0;2.0;1.0;NA;NA', '1;NA;3.0;NA;NA']);
  });

  it("with append, a sink gets the header once in the callback's life; without, at every fit", async () => {
    const lines: string[] = [];
    const appending = csvLogger({sink: (l) => lines.push(l), append: true});
    await replay([appending], [{loss: 1}]);
    await replay([appending], [{loss: 2}]);
    expect(lines).toEqual(['epoch,loss,val_loss', '0,1.0,NA', '0,2.0,NA']);
    lines.length = 0;
    const fresh = csvLogger({sink: (l) => lines.push(l)});
    await replay([fresh], [{loss: 1}]);
    await replay([fresh], [{loss: 2}]);
    expect(lines).toEqual(['epoch,loss,val_loss', '0,1.0,NA', 'epoch,loss,val_loss', '0,2.0,NA']);
  });

  it('writes a file with \\r\\n line ends, replacing it at fit start, leaving no temporary file', async () => {
    const path = join(folder, 'log.csv');
    await writeFile(path, 'old content\r\n');
    const callback = csvLogger({path});
    expect(callback.spec).toEqual({id: 'trellis/csvLogger', config: {path, separator: ',', append: false}});
    await replay([callback], logs);
    expect(await readFile(path, 'utf8')).toBe(
      'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.75,0.5,1.0,0.625\r\n1,1e-05,0.25,0.1,nan\r\n',
    );
    expect((await readdir(folder)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('is complete after every epoch (rewritten through a rename)', async () => {
    const path = join(folder, 'live.csv');
    const seen: string[] = [];
    const peek = {name: 'peek', order: 1, onEpochEnd: async () => void seen.push(await readFile(path, 'utf8'))};
    await replay([csvLogger({path}), peek], logs);
    expect(seen[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.75,0.5,1.0,0.625\r\n');
    expect(seen[1]!.split('\r\n')).toHaveLength(4);
  });

  it('append: keeps the file, header only when it is empty; a resumed run keeps its columns', async () => {
    const path = join(folder, 'resume.csv');
    const first = csvLogger({path, append: true});
    await replay([first], [{loss: 1, val_loss: 2}], {epochs: 1});
    const state = JSON.parse(JSON.stringify(first.saveState!()));
    expect(state).toEqual({keys: ['loss', 'val_loss']});
    const second = csvLogger({path, append: true});
    second.loadState!(state);
    await replay(
      [second],
      [
        {loss: 1, val_loss: 2},
        {loss: 3, val_loss: 4, extra: 5},
      ],
      {initialEpoch: 1},
    );
    expect(await readFile(path, 'utf8')).toBe('epoch,loss,val_loss\r\n0,1.0,2.0\r\n1,3.0,4.0\r\n');
  });

  it('refuses neither or both of path and sink, bad separators and unknown options', () => {
    expect(() => csvLogger({})).toThrow(/csvLogger needs exactly one of path .* and sink .*; got neither/);
    expect(() => csvLogger({path: 'a.csv', sink: () => undefined})).toThrow(/got both/);
    expect(() => csvLogger({path: 'a.csv', separator: '::'})).toThrow(/separator must be one character/);
    expect(() => csvLogger({sink: 3 as never})).toThrow(/sink must be a function/);
    expect(() => csvLogger({filename: 'a.csv'} as never)).toThrow(ConfigError);
    expect(() => csvLogger({path: 'a.csv', append: 'yes' as never})).toThrow(/append must be true or false/);
  });
});
