// CRC32C and TFRecord framing against the test vectors of FORMATS.md §E and A.7.
import {describe, expect, it} from 'vitest';
import {crc32c, maskCrc, maskedCrc32c, unmaskCrc} from './crc32c';
import {DataType, encodeEvent, encodeMessage, writeSummaryValue, type MessageInit, type Summary_Value} from './proto';
import {frameRecord, scanRecords} from './record';
import {scalarValue, sessionEndValue} from './summaries';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const fromHex = (text: string) =>
  new Uint8Array(
    text
      .trim()
      .split(/\s+/)
      .map((h) => parseInt(h, 16)),
  );
const ascii = (text: string) => new TextEncoder().encode(text);

describe('crc32c', () => {
  it('matches the standard check value and RFC 3720 vectors', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('masks and unmasks as TensorFlow does', () => {
    expect(maskCrc(0)).toBe(0xa282ead8);
    expect(maskCrc(0x8a9136aa)).toBe(0x0fd7fffa);
    expect(unmaskCrc(0x0fd7fffa)).toBe(0x8a9136aa);
    expect(maskedCrc32c(new Uint8Array([0x1a, 0x11, ...ascii('CRC test, one two')]))).toBe(0x5794d08a);
    for (const crc of [1, 0xffffffff, 0x12345678, 0x80000000]) expect(unmaskCrc(maskCrc(crc))).toBe(crc);
  });

  it('has the table of TensorBoard (T[1], T[128]) through one-byte inputs', () => {
    // For one byte b: crc32c([b]) = T[~b & 0xff] ^ 0xff000000.
    const table = (i: number) => (crc32c(new Uint8Array([i ^ 0xff])) ^ 0xff000000) >>> 0;
    expect(table(1)).toBe(0xf26b8303);
    expect(table(128)).toBe(0x82f63b78);
  });
});

describe('records (FORMATS.md A.7)', () => {
  it('(1) the file_version record: 40 bytes, header crc a3 7f 4b 22, data crc 65 b8 d3 fb', () => {
    const data = encodeEvent({wallTime: 1234.5, what: {case: 'fileVersion', value: 'brain.Event:2'}});
    expect(hex(data)).toBe('09 00 00 00 00 00 4a 93 40 1a 0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32');
    const record = frameRecord(data);
    expect(record.length).toBe(40);
    expect(hex(record.subarray(0, 12))).toBe('18 00 00 00 00 00 00 00 a3 7f 4b 22');
    expect(hex(record.subarray(36))).toBe('65 b8 d3 fb');
  });

  it('(2) a simple_value scalar: 43 bytes, crcs 1a 0d 9e 13 and e1 0a 7f 17', () => {
    const data = encodeEvent({
      wallTime: 1234.5,
      step: 777n,
      what: {case: 'summary', value: {value: [scalarValue('loss', 0.875)]}},
    });
    expect(hex(data)).toBe('09 00 00 00 00 00 4a 93 40 10 89 06 2a 0d 0a 0b 0a 04 6c 6f 73 73 15 00 00 60 3f');
    const record = frameRecord(data);
    expect(record.length).toBe(43);
    expect(hex(record.subarray(0, 12))).toBe('1b 00 00 00 00 00 00 00 1a 0d 9e 13');
    expect(hex(record.subarray(39))).toBe('e1 0a 7f 17');
  });

  it('(3) a TF2 tensor scalar: 63 bytes, crcs 6d 5d 1d 50 and c6 c8 3b 80', () => {
    const value: MessageInit<Summary_Value> = {
      tag: 'loss',
      value: {case: 'tensor', value: {dtype: DataType.DT_FLOAT, tensorShape: {}, floatVal: [0.875]}},
      metadata: {pluginData: {pluginName: 'scalars'}},
    };
    const data = encodeEvent({wallTime: 1234.5, step: 777n, what: {case: 'summary', value: {value: [value]}}});
    expect(data.length).toBe(47);
    const record = frameRecord(data);
    expect(record.length).toBe(63);
    expect(hex(record.subarray(8, 12))).toBe('6d 5d 1d 50');
    expect(hex(record.subarray(59))).toBe('c6 c8 3b 80');
  });

  it('writes a zero simple_value (a oneof member is kept even when 0)', () => {
    expect(hex(encodeMessage(scalarValue('x', 0), writeSummaryValue))).toBe('0a 01 78 15 00 00 00 00');
  });

  it('writes the hparams NULL tensor as 08 01 12 02 12 00', () => {
    const value = sessionEndValue('success', 1);
    expect(value.value!.case).toBe('tensor');
    const bytes = encodeMessage({value: value.value}, writeSummaryValue);
    expect(hex(bytes)).toBe('42 06 08 01 12 02 12 00');
  });

  it('scans framed records back', () => {
    const a = frameRecord(ascii('first'));
    const b = frameRecord(fromHex('00 01 02'));
    const bytes = new Uint8Array([...a, ...b]);
    const {records, stop} = scanRecords(bytes);
    expect(records.map((r) => Array.from(r))).toEqual([Array.from(ascii('first')), [0, 1, 2]]);
    expect(stop).toEqual({reason: 'end', offset: bytes.length});
  });
});
