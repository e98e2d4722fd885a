/**
 * The enums of the TensorBoard messages this package reads and writes, with
 * the names and numbers of their `.proto` definitions (prefixes dropped where
 * the proto names carry one).
 * @module
 */

/** The enum whose values are `names`' indices: `{[names[i]]: i}`. */
type ProtoEnum<Names extends readonly string[]> = {
  readonly [I in keyof Names & `${number}` as Names[I]]: I extends `${infer N extends number}` ? N : never;
};

/** An enum's values by name, from its names in number order (`0`, `1`, ...). */
function protoEnum<const Names extends readonly string[]>(names: Names): ProtoEnum<Names> {
  return Object.fromEntries(names.map((name, i) => [name, i])) as ProtoEnum<Names>;
}

/** TensorFlow's `DataType` (`tensorboard/compat/proto/types.proto`), the base types. */
export const DataType = protoEnum([
  'DT_INVALID',
  'DT_FLOAT',
  'DT_DOUBLE',
  'DT_INT32',
  'DT_UINT8',
  'DT_INT16',
  'DT_INT8',
  'DT_STRING',
  'DT_COMPLEX64',
  'DT_INT64',
  'DT_BOOL',
  'DT_QINT8',
  'DT_QUINT8',
  'DT_QINT32',
  'DT_BFLOAT16',
  'DT_QINT16',
  'DT_QUINT16',
  'DT_UINT16',
  'DT_COMPLEX128',
  'DT_HALF',
  'DT_RESOURCE',
  'DT_VARIANT',
  'DT_UINT32',
  'DT_UINT64',
]);

/** A TensorFlow data type number (other numbers may be read from files). */
export type DataType = number;

/** `SummaryMetadata.data_class`: how TensorBoard's data server stores a summary. */
export const DataClass = protoEnum(['UNKNOWN', 'SCALAR', 'TENSOR', 'BLOB_SEQUENCE']);

/** A `DataClass` number. */
export type DataClass = number;

/** The hparams plugin's `DataType`: the type of an hparam's values. */
export const HParamDataType = protoEnum(['UNSET', 'STRING', 'BOOL', 'FLOAT64']);

/** An `HParamDataType` number. */
export type HParamDataType = number;

/** The hparams plugin's session `Status`. */
export const Status = protoEnum(['UNKNOWN', 'SUCCESS', 'FAILURE', 'RUNNING']);

/** A `Status` number. */
export type Status = number;

/** The hparams plugin's `DatasetType` of a metric. */
export const DatasetType = protoEnum(['UNKNOWN', 'TRAINING', 'VALIDATION']);

/** A `DatasetType` number. */
export type DatasetType = number;

/** `SessionLog.status`. */
export const SessionLog_SessionStatus = protoEnum(['STATUS_UNSPECIFIED', 'START', 'STOP', 'CHECKPOINT']);

/** A `SessionLog_SessionStatus` number. */
export type SessionLog_SessionStatus = number;
