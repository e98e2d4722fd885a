/**
 * `ProtoWriter`: protobuf wire-format encoding, field by field, with the
 * proto3 rule that a field holding its zero value is not written.
 * @module
 */
import {WireType} from './wire-type';

const utf8 = new TextEncoder();

/**
 * Appends protobuf fields to a growing buffer. Each `*Field` method writes
 * the tag and the value, and skips a value that is `undefined` or the
 * field's zero value (`0`, `0n`, `''`, `false`, no bytes) unless `always` is
 * set (a oneof member is written even when zero). Nested messages are
 * length-delimited through {@link ProtoWriter.messageField}. Fields must be
 * written in field-number order, as protobuf encoders do.
 */
export class ProtoWriter {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #pos = 0;

  #reserve(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }

  /** An unsigned varint of a non-negative integer below 2^53. */
  varint(value: number): void {
    this.#reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.#buf[this.#pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[this.#pos++] = v;
  }

  /** A 64-bit varint of `value` as two's complement (negative values take 10 bytes). */
  varint64(value: bigint): void {
    this.#reserve(10);
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
  }

  /** An int32 or enum: sign-extended to 64 bits when negative, as protobuf does. */
  int32(value: number): void {
    if (value >= 0) this.varint(value);
    else this.varint64(BigInt(value | 0));
  }

  /** A field's tag: `(field << 3) | wireType`. */
  tag(field: number, wireType: WireType): void {
    this.varint(field * 8 + wireType);
  }

  /** A little-endian float64. */
  double(value: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#pos, value, true);
    this.#pos += 8;
  }

  /** A little-endian float32. */
  float(value: number): void {
    this.#reserve(4);
    this.#view.setFloat32(this.#pos, value, true);
    this.#pos += 4;
  }

  /** A length-prefixed run of bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.#reserve(value.length);
    this.#buf.set(value, this.#pos);
    this.#pos += value.length;
  }

  /** Runs `write` and prefixes what it wrote with its length (a nested message or a packed list). */
  delimited(write: () => void): void {
    const start = this.#pos;
    write();
    const length = this.#pos - start;
    let size = 1;
    for (let v = length; v >= 0x80; v = Math.floor(v / 0x80)) size++;
    this.#reserve(size);
    this.#buf.copyWithin(start + size, start, this.#pos);
    const end = this.#pos + size;
    this.#pos = start;
    this.varint(length);
    this.#pos = end;
  }

  /** A `double` field (skipped when +0, as protobuf-es skips it; -0 is written). */
  doubleField(field: number, value: number | undefined, always = false): void {
    if (value === undefined || (!always && Object.is(value, 0))) return;
    this.tag(field, WireType.FIXED64);
    this.double(value);
  }

  /** A `float` field (skipped when +0). */
  floatField(field: number, value: number | undefined, always = false): void {
    if (value === undefined || (!always && Object.is(value, 0))) return;
    this.tag(field, WireType.FIXED32);
    this.float(value);
  }

  /** An `int32`, `uint32` or enum field (skipped when 0). */
  int32Field(field: number, value: number | undefined, always = false): void {
    if (value === undefined || (!always && value === 0)) return;
    this.tag(field, WireType.VARINT);
    this.int32(value);
  }

  /** An `int64` or `uint64` field (skipped when 0). */
  int64Field(field: number, value: bigint | undefined, always = false): void {
    if (value === undefined || (!always && value === 0n)) return;
    this.tag(field, WireType.VARINT);
    this.varint64(value);
  }

  /** A `bool` field (skipped when false). */
  boolField(field: number, value: boolean | undefined, always = false): void {
    if (value === undefined || (!always && !value)) return;
    this.tag(field, WireType.VARINT);
    this.varint(value ? 1 : 0);
  }

  /** A `string` field, UTF-8 (skipped when empty). */
  stringField(field: number, value: string | undefined, always = false): void {
    if (value === undefined || (!always && value === '')) return;
    this.tag(field, WireType.LENGTH_DELIMITED);
    this.bytes(utf8.encode(value));
  }

  /** A `bytes` field (skipped when empty). */
  bytesField(field: number, value: Uint8Array | undefined, always = false): void {
    if (value === undefined || (!always && value.length === 0)) return;
    this.tag(field, WireType.LENGTH_DELIMITED);
    this.bytes(value);
  }

  /** A message field written by `encode` (skipped when `undefined`; an empty message is written). */
  messageField<T>(field: number, value: T | undefined, encode: (w: ProtoWriter, value: T) => void): void {
    if (value === undefined) return;
    this.tag(field, WireType.LENGTH_DELIMITED);
    this.delimited(() => encode(this, value));
  }

  /** A repeated message field, one entry per element. */
  repeatedField<T>(field: number, values: readonly T[] | undefined, encode: (w: ProtoWriter, value: T) => void): void {
    for (const value of values ?? []) this.messageField(field, value, encode);
  }

  /** A repeated `string` field, one entry per element (empty strings included). */
  repeatedStringField(field: number, values: readonly string[] | undefined): void {
    for (const value of values ?? []) this.stringField(field, value, true);
  }

  /** A repeated `bytes` field, one entry per element (empty ones included). */
  repeatedBytesField(field: number, values: readonly Uint8Array[] | undefined): void {
    for (const value of values ?? []) this.bytesField(field, value, true);
  }

  /** A packed repeated scalar field: one length-delimited run of `write`'s values (nothing when empty). */
  packedField<T>(field: number, values: readonly T[] | undefined, write: (w: ProtoWriter, value: T) => void): void {
    if (values === undefined || values.length === 0) return;
    this.tag(field, WireType.LENGTH_DELIMITED);
    this.delimited(() => {
      for (const value of values) write(this, value);
    });
  }

  /** A `map<string, Message>` field: one entry message (key 1, value 2, both always written) per key. */
  mapField<T>(field: number, record: Readonly<Record<string, T>> | undefined, encode: (w: ProtoWriter, value: T) => void): void {
    for (const key of Object.keys(record ?? {})) {
      this.tag(field, WireType.LENGTH_DELIMITED);
      this.delimited(() => {
        this.stringField(1, key, true);
        this.tag(2, WireType.LENGTH_DELIMITED);
        this.delimited(() => encode(this, record![key]!));
      });
    }
  }
}

/** Packed-list element writers for {@link ProtoWriter.packedField}. */
export const packed = {
  /** A float32. */
  float: (w: ProtoWriter, v: number) => w.float(v),
  /** A float64. */
  double: (w: ProtoWriter, v: number) => w.double(v),
  /** An int32, uint32 or enum. */
  int32: (w: ProtoWriter, v: number) => w.int32(v),
  /** An int64 or uint64. */
  int64: (w: ProtoWriter, v: bigint) => w.varint64(v),
  /** A bool. */
  bool: (w: ProtoWriter, v: boolean) => w.varint(v ? 1 : 0),
} as const;

/** Encodes one message with `encode` into a new byte array. */
export function encodeMessage<T>(value: T, encode: (w: ProtoWriter, value: T) => void): Uint8Array {
  const w = new ProtoWriter();
  encode(w, value);
  return w.finish();
}
