/**
 * The enums of the TensorBoard messages this package reads and writes, with
 * the names and numbers of their `.proto` definitions (prefixes dropped where
 * the proto names carry one).
 * @module
 */

/** TensorFlow's `DataType` (`tensorboard/compat/proto/types.proto`), the base types. */
export const DataType = {
  DT_INVALID: 0,
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_UINT8: 4,
  DT_INT16: 5,
  DT_INT8: 6,
  DT_STRING: 7,
  DT_COMPLEX64: 8,
  DT_INT64: 9,
  DT_BOOL: 10,
  DT_QINT8: 11,
  DT_QUINT8: 12,
  DT_QINT32: 13,
  DT_BFLOAT16: 14,
  DT_QINT16: 15,
  DT_QUINT16: 16,
  DT_UINT16: 17,
  DT_COMPLEX128: 18,
  DT_HALF: 19,
  DT_RESOURCE: 20,
  DT_VARIANT: 21,
  DT_UINT32: 22,
  DT_UINT64: 23,
} as const;

/** A TensorFlow data type number (other numbers may be read from files). */
export type DataType = number;

/** `SummaryMetadata.data_class`: how TensorBoard's data server stores a summary. */
export const DataClass = {
  UNKNOWN: 0,
  SCALAR: 1,
  TENSOR: 2,
  BLOB_SEQUENCE: 3,
} as const;

/** A `DataClass` number. */
export type DataClass = number;

/** The hparams plugin's `DataType`: the type of an hparam's values. */
export const HParamDataType = {
  UNSET: 0,
  STRING: 1,
  BOOL: 2,
  FLOAT64: 3,
} as const;

/** An `HParamDataType` number. */
export type HParamDataType = number;

/** The hparams plugin's session `Status`. */
export const Status = {
  UNKNOWN: 0,
  SUCCESS: 1,
  FAILURE: 2,
  RUNNING: 3,
} as const;

/** A `Status` number. */
export type Status = number;

/** The hparams plugin's `DatasetType` of a metric. */
export const DatasetType = {
  UNKNOWN: 0,
  TRAINING: 1,
  VALIDATION: 2,
} as const;

/** A `DatasetType` number. */
export type DatasetType = number;

/** `SessionLog.status`. */
export const SessionLog_SessionStatus = {
  STATUS_UNSPECIFIED: 0,
  START: 1,
  STOP: 2,
  CHECKPOINT: 3,
} as const;

/** A `SessionLog_SessionStatus` number. */
export type SessionLog_SessionStatus = number;
