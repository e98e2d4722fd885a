// Reading damaged files as TensorBoard does: stop at a bad checksum, leave out a truncated tail.
import {ConfigError, DataError} from '@trellis/core';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {readSummaryValue} from './messages/summary';
import {DataType, decodeMessage, encodeMessage, writeSummaryValue} from './proto';
import {decodeEvents, decodeValue, readEvents} from './reader';
import {frameRecord} from './record';
import {SummaryWriter} from './writer';

/** An event file (version record + scalars 'x' at steps 0..4) and each record's start offset. */
async function sampleFile(): Promise<{bytes: Uint8Array; starts: number[]}> {
  const chunks: Uint8Array[] = [];
  const w = new SummaryWriter({sink: (b) => void chunks.push(b.slice()), flushSeconds: Infinity});
  await w.open(); // the version record alone
  for (let step = 0; step < 5; step++) {
    w.scalar('x', step * 10, step);
    await w.flush(); // one record per chunk
  }
  await w.close();
  const starts: number[] = [];
  let o = 0;
  for (const c of chunks) {
    starts.push(o);
    o += c.length;
  }
  return {bytes: new Uint8Array(chunks.flatMap((c) => Array.from(c))), starts};
}

const steps = (bytes: Uint8Array) =>
  decodeEvents(bytes)
    .events.filter((e) => e.what.case === 'summary')
    .map((e) => Number(e.step));

const dir = mkdtempSync(join(tmpdir(), 'trellis-tb-read-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('readEvents / decodeEvents', () => {
  it('reads every event of an intact file', async () => {
    const {bytes} = await sampleFile();
    const {events, stop} = decodeEvents(bytes);
    expect(stop).toEqual({reason: 'end', offset: bytes.length});
    expect(events).toHaveLength(6);
    const values = events.slice(1).map((e) => (e.what.case === 'summary' ? decodeValue(e.what.value.value[0]!) : null));
    expect(values.map((v) => v?.kind === 'scalar' && v.value)).toEqual([0, 10, 20, 30, 40]);
  });

  it('stops at a flipped byte: the records before it only', async () => {
    const {bytes, starts} = await sampleFile();
    for (const where of [starts[3]! + 2, starts[3]! + 9, starts[3]! + 14, starts[4]! - 1]) {
      const bad = bytes.slice();
      bad[where]! ^= 0x40;
      const {stop} = decodeEvents(bad);
      expect(stop.reason).toBe('corrupt');
      expect(stop.offset).toBe(starts[3]);
      expect(steps(bad)).toEqual([0, 1]);
    }
  });

  it('leaves out a truncated tail and keeps everything before it', async () => {
    const {bytes, starts} = await sampleFile();
    for (const cut of [starts[5]! + 1, starts[5]! + 11, starts[5]! + 20, bytes.length - 1]) {
      const {stop} = decodeEvents(bytes.subarray(0, cut));
      expect(stop).toEqual({reason: 'truncated', offset: starts[5]});
      expect(steps(bytes.subarray(0, cut))).toEqual([0, 1, 2, 3]);
    }
  });

  it('stops at a record that is not an Event', () => {
    const good = frameRecord(new Uint8Array([0x1a, 0x01, 0x41]));
    const junk = frameRecord(new Uint8Array([0xff, 0xff, 0xff]));
    const {events, stop} = decodeEvents(new Uint8Array([...good, ...junk]));
    expect(events).toHaveLength(1);
    expect(stop).toMatchObject({reason: 'corrupt', offset: good.length});
  });

  it('reads a path, and returns where it stopped', async () => {
    const {bytes, starts} = await sampleFile();
    const path = join(dir, 'events.out.tfevents.0000000000.host.1.0');
    writeFileSync(path, bytes.subarray(0, starts[5]! + 3));
    const gen = readEvents(path);
    const seen = [];
    let r = await gen.next();
    while (!r.done) {
      seen.push(r.value);
      r = await gen.next();
    }
    expect(seen).toHaveLength(5);
    expect(r.value).toEqual({reason: 'truncated', offset: starts[5]});
  });

  it('refuses a missing file and a non-byte source with typed errors', async () => {
    await expect(readEvents(join(dir, 'missing')).next()).rejects.toSatisfy((e: unknown) => DataError.is(e));
    await expect(readEvents(42 as never).next()).rejects.toSatisfy((e: unknown) => ConfigError.is(e));
  });
});

describe('decodeValue on damaged values (found by reader.fuzz.test.ts)', () => {
  const value = (plugin: string, content: Uint8Array, tensor: Record<string, unknown>) =>
    // A complete message (every field at its default unless given), as read from a file.
    decodeMessage(
      encodeMessage(
        {tag: 'x', metadata: {pluginData: {pluginName: plugin, content}}, value: {case: 'tensor', value: tensor}},
        writeSummaryValue,
      ),
      readSummaryValue,
    );

  it('a scalar tensor without a value is a DataError, not a RangeError', () => {
    for (const tensor of [{dtype: DataType.DT_FLOAT}, {dtype: DataType.DT_DOUBLE, tensorContent: new Uint8Array(4)}]) {
      expect(() => decodeValue(value('scalars', new Uint8Array(0), tensor))).toThrow(DataError);
    }
    expect(decodeValue(value('scalars', new Uint8Array(0), {dtype: DataType.DT_FLOAT, floatVal: [2]}))).toMatchObject({value: 2});
  });

  it('hparams data that does not decode is a DataError naming the tag', () => {
    // Field 13 with wire type 7 does not exist in protobuf.
    expect(() => decodeValue(value('hparams', new Uint8Array([0x6f]), {}))).toThrow(/hparams summary 'x'/);
    expect(() => decodeValue(value('hparams', new Uint8Array([0x6f]), {}))).toThrow(DataError);
  });
});
