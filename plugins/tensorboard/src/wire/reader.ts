/**
 * `ProtoReader`: bounds-checked protobuf wire-format decoding. Truncated or
 * malformed input is a `DataError`, never a `RangeError`.
 * @module
 */
import {DataError} from '@trellis/core';
import {WireType} from './wire-type';

const utf8 = new TextDecoder();

/** Nested messages deeper than this are refused (a hostile input cannot exhaust the stack). */
export const MAX_DEPTH = 100;

/**
 * Reads the fields of one message from `bytes` (a view, not copied).
 * Every read checks the bounds; a nested message is read by a reader over
 * its bytes ({@link ProtoReader.message}).
 */
export class ProtoReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #depth: number;
  #pos = 0;

  /** A reader of the message `bytes`, `depth` levels below the outermost one. */
  constructor(bytes: Uint8Array, depth = 0) {
    if (depth > MAX_DEPTH) throw new DataError(`protobuf: messages nested deeper than ${MAX_DEPTH} levels`);
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#depth = depth;
  }

  /** Whether bytes remain. */
  more(): boolean {
    return this.#pos < this.#bytes.length;
  }

  #need(n: number, what: string): number {
    const at = this.#pos;
    if (n > this.#bytes.length - at) {
      throw new DataError(`protobuf: the message ends inside a ${what} (byte ${at} of ${this.#bytes.length})`);
    }
    this.#pos = at + n;
    return at;
  }

  /** An unsigned varint as a bigint (up to 64 bits; more bytes are an error). */
  varint64(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.#bytes[this.#need(1, 'varint')]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new DataError(`protobuf: a varint longer than 10 bytes at byte ${this.#pos}`);
  }

  /** An unsigned varint as a number (exact up to 2^53; the low 32 bits are what int32 fields use). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.#bytes[this.#need(1, 'varint')]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    throw new DataError(`protobuf: a varint longer than 10 bytes at byte ${this.#pos}`);
  }

  /** An int32 or enum (the low 32 bits of the varint, signed). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint64()));
  }

  /** A uint32 (the low 32 bits of the varint). */
  uint32(): number {
    return Number(BigInt.asUintN(32, this.varint64()));
  }

  /** An int64 (two's complement). */
  int64(): bigint {
    return BigInt.asIntN(64, this.varint64());
  }

  /** A uint64. */
  uint64(): bigint {
    return this.varint64();
  }

  /** A bool (any non-zero varint is true). */
  bool(): boolean {
    return this.varint64() !== 0n;
  }

  /** A little-endian float64. */
  double(): number {
    return this.#view.getFloat64(this.#need(8, 'double'), true);
  }

  /** A little-endian float32. */
  float(): number {
    return this.#view.getFloat32(this.#need(4, 'float'), true);
  }

  /** Length-prefixed bytes (a view into the input). */
  bytes(): Uint8Array {
    const length = this.varint();
    const at = this.#need(length, 'length-delimited field');
    return this.#bytes.subarray(at, at + length);
  }

  /** A length-prefixed UTF-8 string (invalid sequences become U+FFFD). */
  string(): string {
    return utf8.decode(this.bytes());
  }

  /** A reader over a length-prefixed nested message. */
  message(): ProtoReader {
    return new ProtoReader(this.bytes(), this.#depth + 1);
  }

  /** The next field's number and wire type. */
  tag(): [field: number, wireType: number] {
    const tag = this.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0 || wireType > WireType.FIXED32) {
      throw new DataError(`protobuf: an invalid tag (field ${field}, wire type ${wireType}) at byte ${this.#pos}`);
    }
    return [field, wireType];
  }

  /** Skips the value of a field of `wireType` (an unknown field). */
  skip(wireType: number, field: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.varint64();
        return;
      case WireType.FIXED64:
        this.#need(8, 'fixed64');
        return;
      case WireType.LENGTH_DELIMITED:
        this.bytes();
        return;
      case WireType.FIXED32:
        this.#need(4, 'fixed32');
        return;
      case WireType.START_GROUP:
        for (;;) {
          const [f, w] = this.tag();
          if (w === WireType.END_GROUP) {
            if (f !== field) throw new DataError(`protobuf: group ${field} ends with the end of group ${f}`);
            return;
          }
          this.skip(w, f);
        }
      default:
        throw new DataError(`protobuf: an unexpected end of group ${field} at byte ${this.#pos}`);
    }
  }

  /**
   * Appends a repeated scalar field's values to `out`: packed (one
   * length-delimited run) or not (one value), as protobuf readers accept both.
   */
  repeated<T>(wireType: number, scalarWireType: WireType, read: (r: ProtoReader) => T, out: T[]): void {
    if (wireType === WireType.LENGTH_DELIMITED) {
      const r = new ProtoReader(this.bytes(), this.#depth + 1);
      while (r.more()) out.push(read(r));
      return;
    }
    expectWireType(wireType, scalarWireType);
    out.push(read(this));
  }
}

/**
 * Checks that a known field arrived with the wire type of its type.
 * @throws DataError otherwise.
 */
export function expectWireType(got: number, want: WireType): void {
  if (got !== want) throw new DataError(`protobuf: a field has wire type ${got} where ${want} was expected`);
}

/**
 * How to read each known field of a message `T`: by field number, the wire
 * type expected (`null`: checked by the reader itself, for repeated scalars)
 * and the read that stores the value into the message.
 */
export type FieldReaders<T> = Readonly<Record<number, readonly [WireType | null, (r: ProtoReader, message: T, wireType: number) => void]>>;

/**
 * Reads the fields of `r` into `message` by `fields`; unknown fields are
 * skipped, and a later value of a field replaces an earlier one.
 * @throws DataError for truncated or malformed input.
 */
export function readFields<T>(r: ProtoReader, message: T, fields: FieldReaders<T>): T {
  while (r.more()) {
    const [field, wireType] = r.tag();
    const known = fields[field];
    if (known === undefined) {
      r.skip(wireType, field);
      continue;
    }
    if (known[0] !== null) expectWireType(wireType, known[0]);
    known[1](r, message, wireType);
  }
  return message;
}

/**
 * Reads one entry of a `map<string, Message>` field (key 1, value 2) into
 * `record` (an own property, whatever the key); a missing value is `read`
 * of no bytes.
 */
export function readMapEntry<T>(r: ProtoReader, record: Record<string, T>, read: (r: ProtoReader) => T): void {
  const entry: {key: string; value?: T} = {key: ''};
  readFields(r, entry, {
    1: [WireType.LENGTH_DELIMITED, (e, m) => void (m.key = e.string())],
    2: [WireType.LENGTH_DELIMITED, (e, m) => void (m.value = read(e.message()))],
  });
  const value = entry.value ?? read(new ProtoReader(new Uint8Array(0)));
  Object.defineProperty(record, entry.key, {value, enumerable: true, writable: true, configurable: true});
}

/**
 * Decodes the message `bytes` with `decode`.
 * @throws DataError for truncated or malformed input.
 */
export function decodeMessage<T>(bytes: Uint8Array, decode: (r: ProtoReader) => T): T {
  return decode(new ProtoReader(bytes));
}
