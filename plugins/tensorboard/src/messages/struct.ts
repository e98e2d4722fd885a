/**
 * `google.protobuf.Value`, `Struct` and `ListValue`: JSON values, as the
 * hparams plugin stores hparam values and domains.
 * @module
 */
import {defineMessage, type MessageSchema} from './message-schema';
import type {OneOf} from './one-of';

/** A JSON value: null, a number, a string, a boolean, an object or a list. */
export interface Value {
  kind: OneOf<{nullValue: number; numberValue: number; stringValue: string; boolValue: boolean; structValue: Struct; listValue: ListValue}>;
}

/** A JSON object. */
export interface Struct {
  fields: Record<string, Value>;
}

/** A JSON list. */
export interface ListValue {
  values: Value[];
}

const kind = {oneof: 'kind'} as const;

/** A JSON value: `google.protobuf.Value`. */
export const VALUE: MessageSchema<Value> = defineMessage<Value>([
  [1, 'nullValue', 'int32', kind],
  [2, 'numberValue', 'double', kind],
  [3, 'stringValue', 'string', kind],
  [4, 'boolValue', 'bool', kind],
  [5, 'structValue', () => STRUCT, kind],
  [6, 'listValue', () => LIST_VALUE, kind],
]);

const STRUCT = defineMessage<Struct>([[1, 'fields', () => VALUE, 'map']]);

/** A JSON list: `google.protobuf.ListValue`. */
export const LIST_VALUE: MessageSchema<ListValue> = defineMessage<ListValue>([[1, 'values', () => VALUE, 'repeated']]);

/** Writes the fields of a `Value` (the member of its oneof, even when zero). */
export const writeValue: MessageSchema<Value>['write'] = VALUE.write;

/** Reads a `Value`. */
export const readValue: MessageSchema<Value>['read'] = VALUE.read;
