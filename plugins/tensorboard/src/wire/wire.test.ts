// The protobuf wire layer: encodings against known bytes, and hostile input as DataErrors.
import {DataError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {decodeEvent, encodeEvent} from '../messages/event';
import {readValue, writeValue} from '../messages/struct';
import {readTensor} from '../messages/tensor';
import {ProtoReader, decodeMessage} from './reader';
import {ProtoWriter, encodeMessage} from './writer';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

describe('ProtoWriter', () => {
  it('varints: int64 two’s complement (10 bytes when negative), int32 sign-extended', () => {
    const w = new ProtoWriter();
    w.varint64(-1n);
    w.int32(-2);
    w.varint(300);
    w.varint64(2n ** 63n);
    expect(hex(w.finish())).toBe('ff ff ff ff ff ff ff ff ff 01 fe ff ff ff ff ff ff ff ff 01 ac 02 80 80 80 80 80 80 80 80 80 01');
  });

  it('length prefixes of nested messages longer than 127 bytes', () => {
    const bytes = encodeEvent({what: {case: 'fileVersion', value: 'x'.repeat(200)}});
    expect(hex(bytes.subarray(0, 3))).toBe('1a c8 01');
    expect(decodeEvent(bytes).what).toEqual({case: 'fileVersion', value: 'x'.repeat(200)});
  });
});

describe('ProtoReader on hostile input: DataErrors, never RangeErrors', () => {
  const cases: [string, number[]][] = [
    ['a truncated varint', [0x10, 0xff]],
    ['a varint of 11 bytes', [0x10, ...Array(10).fill(0xff), 0x01]],
    ['a length past the end', [0x1a, 0x05, 0x61]],
    ['a truncated double', [0x09, 0x00, 0x00]],
    ['wire type 7', [0x6f]],
    ['field number 0', [0x02, 0x00]],
    ['a known field with another wire type', [0x0d, 0, 0, 0, 0]],
    ['an unmatched end of group', [0x0c]],
    ['an unterminated group', [0x0b, 0x08, 0x01]],
  ];
  it.each(cases)('%s', (_name, bytes) => {
    expect(() => decodeEvent(new Uint8Array(bytes))).toThrow(DataError);
  });

  it('messages nested too deep', () => {
    let value = {kind: {case: 'numberValue' as const, value: 1}} as Parameters<typeof writeValue>[1];
    for (let i = 0; i < 150; i++) value = {kind: {case: 'listValue', value: {values: [value]}}};
    const bytes = encodeMessage(value, writeValue);
    expect(() => decodeMessage(bytes, readValue)).toThrow(DataError);
    expect(() => new ProtoReader(bytes, 101)).toThrow(/nested deeper/);
  });

  it('skips unknown fields of every wire type and reads packed and unpacked repeated scalars alike', () => {
    const w = new ProtoWriter();
    w.int64Field(2, 5n);
    w.tag(99, 0);
    w.varint(1);
    w.tag(98, 1);
    w.double(1);
    w.tag(97, 5);
    w.float(1);
    w.tag(96, 3);
    w.tag(1, 0);
    w.varint(1);
    w.tag(96, 4);
    w.bytesField(95, new Uint8Array([1, 2]));
    expect(decodeEvent(w.finish()).step).toBe(5n);
    const t = new ProtoWriter();
    t.floatField(5, 1.5, true);
    t.packedField(5, [2.5, 3.5], (x, v) => x.float(v));
    t.floatField(5, 4.5, true);
    expect(decodeMessage(t.finish(), readTensor).floatVal).toEqual([1.5, 2.5, 3.5, 4.5]);
  });
});
