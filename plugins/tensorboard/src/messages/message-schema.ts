/**
 * Message schemas: a message's fields as a table (number, name, type), from
 * which one encoder and one decoder write and read every message of this
 * package.
 * @module
 */
import type {MessageInit} from './init';
import {readFields, readMapEntry, type FieldReaders, type ProtoReader} from '../wire/reader';
import {WireType} from '../wire/wire-type';
import {packed, type ProtoWriter} from '../wire/writer';

const {VARINT, FIXED64, FIXED32, LENGTH_DELIMITED} = WireType;

/** The zero value of a `bytes` field (decoded messages share it; it holds nothing to change). */
const NO_BYTES = new Uint8Array(0);

type Scalar = number | bigint | boolean | string | Uint8Array;

/** How one scalar type is laid out, its zero value, and how it is read and written. */
interface ScalarCodec {
  readonly wireType: WireType;
  readonly zero: Scalar;
  read(r: ProtoReader): Scalar;
  write(w: ProtoWriter, field: number, value: unknown, always: boolean): void;
  /** Writes a repeated field: packed for numbers and bools, one entry per element for strings and bytes. */
  writeRepeated(w: ProtoWriter, field: number, values: readonly unknown[] | undefined): void;
}

type ReadMethod = 'double' | 'float' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool' | 'string' | 'bytes';
type FieldMethod = 'doubleField' | 'floatField' | 'int32Field' | 'int64Field' | 'boolField' | 'stringField' | 'bytesField';
type FieldWrite = (this: ProtoWriter, field: number, value: unknown, always: boolean) => void;

/** A scalar type read by `ProtoReader[read]` and written by `ProtoWriter[write]`. */
function scalar(
  wireType: WireType,
  zero: Scalar,
  read: ReadMethod,
  write: FieldMethod,
  writeRepeated: ScalarCodec['writeRepeated'],
): ScalarCodec {
  return {
    wireType,
    zero,
    read: (r) => r[read](),
    write: (w, field, value, always) => (w[write] as FieldWrite).call(w, field, value, always),
    writeRepeated,
  };
}

/** Writes a repeated number or bool field packed, each element by `element`. */
function packedAs<T>(element: (w: ProtoWriter, value: T) => void): ScalarCodec['writeRepeated'] {
  return (w, field, values) => w.packedField(field, values as readonly T[] | undefined, element);
}

const SCALARS = {
  double: scalar(FIXED64, 0, 'double', 'doubleField', packedAs(packed.double)),
  float: scalar(FIXED32, 0, 'float', 'floatField', packedAs(packed.float)),
  int32: scalar(VARINT, 0, 'int32', 'int32Field', packedAs(packed.int32)),
  uint32: scalar(VARINT, 0, 'uint32', 'int32Field', packedAs(packed.int32)),
  int64: scalar(VARINT, 0n, 'int64', 'int64Field', packedAs(packed.int64)),
  uint64: scalar(VARINT, 0n, 'uint64', 'int64Field', packedAs(packed.int64)),
  bool: scalar(VARINT, false, 'bool', 'boolField', packedAs(packed.bool)),
  string: scalar(LENGTH_DELIMITED, '', 'string', 'stringField', (w, f, v) => w.repeatedStringField(f, v as readonly string[] | undefined)),
  bytes: scalar(LENGTH_DELIMITED, NO_BYTES, 'bytes', 'bytesField', (w, f, v) =>
    w.repeatedBytesField(f, v as readonly Uint8Array[] | undefined),
  ),
} as const satisfies Record<string, ScalarCodec>;

/** A protobuf scalar type. */
export type ScalarType = keyof typeof SCALARS;

/** A field's type: a scalar type, or the schema of a message (a thunk, for messages that nest each other). */
export type FieldType = ScalarType | (() => MessageSchema<unknown>);

/** A field's label: `repeated` (a list), `map` (`map<string, Message>`), or the member of a oneof. */
export type FieldLabel<T> = 'repeated' | 'map' | {readonly oneof: Extract<keyof T, string>};

/**
 * One field of a message `T`: its number, its name (for a oneof member, the
 * `case` it sets), its type and its label (none: a singular field).
 */
export type FieldSpec<T> =
  | readonly [number, Extract<keyof T, string>, FieldType, ('repeated' | 'map')?]
  | readonly [number, string, FieldType, {readonly oneof: Extract<keyof T, string>}];

/** A message type: writes a message's fields and reads them back. */
export interface MessageSchema<T> {
  /** Writes the fields of `message`, in field-number order, leaving zero values out. */
  write(w: ProtoWriter, message: MessageInit<T>): void;
  /**
   * Reads a message: fields left out hold their zero values (a message
   * field stays absent), unknown fields are skipped.
   * @throws DataError for truncated or malformed input.
   */
  read(r: ProtoReader): T;
}

type Fields = Record<string, unknown>;
type Oneof = {readonly case?: string; readonly value?: unknown} | undefined;

/** Stores a value read for the field `name`: as the field, or as the `{case, value}` of its oneof. */
function store(message: Fields, name: string, label: FieldLabel<Fields> | undefined, value: unknown): void {
  if (typeof label === 'object') message[label.oneof] = {case: name, value};
  else message[name] = value;
}

/** How to read the field `name`: the wire type expected (`null` for repeated scalars, packed or not) and the read. */
function fieldReader(name: string, type: FieldType, label: FieldLabel<Fields> | undefined): FieldReaders<Fields>[number] {
  if (typeof type === 'function') {
    if (label === 'map')
      return [LENGTH_DELIMITED, (r, m) => readMapEntry(r.message(), m[name] as Record<string, unknown>, (e) => type().read(e))];
    if (label === 'repeated') return [LENGTH_DELIMITED, (r, m) => void (m[name] as unknown[]).push(type().read(r.message()))];
    return [LENGTH_DELIMITED, (r, m) => store(m, name, label, type().read(r.message()))];
  }
  const scalar: ScalarCodec = SCALARS[type];
  if (label !== 'repeated') return [scalar.wireType, (r, m) => store(m, name, label, scalar.read(r))];
  if (scalar.wireType === LENGTH_DELIMITED) return [LENGTH_DELIMITED, (r, m) => void (m[name] as unknown[]).push(scalar.read(r))];
  return [null, (r, m, wireType) => r.repeated(wireType, scalar.wireType, scalar.read, m[name] as unknown[])];
}

/** Writes one field of `message` (a oneof member only when it is the case set, even when zero). */
function writeField(w: ProtoWriter, message: Fields, [field, name, type, label]: FieldSpec<Fields>): void {
  let value = message[name];
  const always = typeof label === 'object';
  if (always) {
    const oneof = message[label.oneof] as Oneof;
    if (oneof?.case !== name) return;
    value = oneof.value;
  }
  if (typeof type === 'function') {
    const write = (v: ProtoWriter, m: unknown) => type().write(v, m as never);
    if (label === 'map') w.mapField(field, value as Record<string, unknown> | undefined, write);
    else if (label === 'repeated') w.repeatedField(field, value as unknown[] | undefined, write);
    else w.messageField(field, value, write);
    return;
  }
  const scalar: ScalarCodec = SCALARS[type];
  if (label === 'repeated') scalar.writeRepeated(w, field, value as unknown[] | undefined);
  else scalar.write(w, field, value, always);
}

/** A new message with every field at its zero value (key order: the fields' order in `fields`). */
function zeroMessage(fields: readonly FieldSpec<Fields>[]): Fields {
  const message: Fields = {};
  for (const [, name, type, label] of fields) {
    if (typeof label === 'object') message[label.oneof] ??= {case: undefined};
    else if (label === 'repeated') message[name] = [];
    else if (label === 'map') message[name] = {};
    else if (typeof type !== 'function') message[name] = SCALARS[type].zero;
  }
  return message;
}

/**
 * The schema of a message `T` from its fields, listed in the order of `T`'s
 * properties (the order a decoded message's keys come in); they are written
 * in field-number order.
 */
export function defineMessage<T>(fields: readonly FieldSpec<T>[]): MessageSchema<T> {
  const table = fields as readonly FieldSpec<Fields>[];
  const writeOrder = [...table].sort((a, b) => a[0] - b[0]);
  const readers: Record<number, FieldReaders<Fields>[number]> = {};
  for (const [field, name, type, label] of table) readers[field] = fieldReader(name, type, label);
  return {
    write(w, message) {
      for (const spec of writeOrder) writeField(w, message as Fields, spec);
    },
    read(r) {
      return readFields(r, zeroMessage(table), readers) as T;
    },
  };
}
