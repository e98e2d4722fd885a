/**
 * `google.protobuf.Value`, `Struct` and `ListValue`: JSON values, as the
 * hparams plugin stores hparam values and domains.
 * @module
 */
import {readFields, readMapEntry, type FieldReaders, type ProtoReader} from '../wire/reader';
import {WireType} from '../wire/wire-type';
import type {ProtoWriter} from '../wire/writer';
import type {MessageInit} from './init';

const {VARINT, FIXED64, LENGTH_DELIMITED} = WireType;

/** A JSON value: null, a number, a string, a boolean, an object or a list. */
export interface Value {
  kind:
    | {case: 'nullValue'; value: number}
    | {case: 'numberValue'; value: number}
    | {case: 'stringValue'; value: string}
    | {case: 'boolValue'; value: boolean}
    | {case: 'structValue'; value: Struct}
    | {case: 'listValue'; value: ListValue}
    | {case: undefined; value?: undefined};
}

/** A JSON object. */
export interface Struct {
  fields: Record<string, Value>;
}

/** A JSON list. */
export interface ListValue {
  values: Value[];
}

/** Writes the fields of a `Value` (the member of its oneof, even when zero). */
export function writeValue(w: ProtoWriter, v: MessageInit<Value>): void {
  const kind = v.kind;
  switch (kind?.case) {
    case 'nullValue':
      return w.int32Field(1, kind.value, true);
    case 'numberValue':
      return w.doubleField(2, kind.value, true);
    case 'stringValue':
      return w.stringField(3, kind.value, true);
    case 'boolValue':
      return w.boolField(4, kind.value, true);
    case 'structValue':
      return w.messageField(5, kind.value, writeStruct);
    case 'listValue':
      return w.messageField(6, kind.value, writeListValue);
    default:
  }
}

/** Writes the fields of a `Struct`. */
export function writeStruct(w: ProtoWriter, s: MessageInit<Struct>): void {
  w.mapField(1, s.fields as Record<string, MessageInit<Value>> | undefined, writeValue);
}

/** Writes the fields of a `ListValue`. */
export function writeListValue(w: ProtoWriter, l: MessageInit<ListValue>): void {
  w.repeatedField(1, l.values, writeValue);
}

const VALUE: FieldReaders<Value> = {
  1: [VARINT, (r, m) => void (m.kind = {case: 'nullValue', value: r.int32()})],
  2: [FIXED64, (r, m) => void (m.kind = {case: 'numberValue', value: r.double()})],
  3: [LENGTH_DELIMITED, (r, m) => void (m.kind = {case: 'stringValue', value: r.string()})],
  4: [VARINT, (r, m) => void (m.kind = {case: 'boolValue', value: r.bool()})],
  5: [LENGTH_DELIMITED, (r, m) => void (m.kind = {case: 'structValue', value: readStruct(r.message())})],
  6: [LENGTH_DELIMITED, (r, m) => void (m.kind = {case: 'listValue', value: readListValue(r.message())})],
};

/** Reads a `Value`. */
export function readValue(r: ProtoReader): Value {
  return readFields(r, {kind: {case: undefined}}, VALUE);
}

/** Reads a `Struct`. */
export function readStruct(r: ProtoReader): Struct {
  return readFields<Struct>(r, {fields: {}}, {1: [LENGTH_DELIMITED, (e, m) => readMapEntry(e.message(), m.fields, readValue)]});
}

/** Reads a `ListValue`. */
export function readListValue(r: ProtoReader): ListValue {
  return readFields<ListValue>(r, {values: []}, {1: [LENGTH_DELIMITED, (e, m) => void m.values.push(readValue(e.message()))]});
}
