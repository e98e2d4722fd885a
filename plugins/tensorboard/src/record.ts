/**
 * TFRecord framing: `u64 length | u32 masked_crc32c(length) | data | u32
 * masked_crc32c(data)`, all little-endian.
 * @module
 */
import {maskedCrc32c} from './crc32c';

/** Bytes a record adds around its data. */
export const RECORD_OVERHEAD = 16;

/** Frames `data` as one TFRecord (a new array of `data.length + 16` bytes). */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + RECORD_OVERHEAD);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length >>> 0, true);
  view.setUint32(4, Math.floor(data.length / 2 ** 32), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Why reading records stopped. */
export type RecordStop =
  /** Every byte was read. */
  | {readonly reason: 'end'; readonly offset: number}
  /** The bytes end inside a record (a write in progress, or a cut file): TensorBoard waits for more. */
  | {readonly reason: 'truncated'; readonly offset: number}
  /** A checksum does not match: TensorBoard stops reading the file there. */
  | {readonly reason: 'corrupt'; readonly offset: number; readonly detail: string};

/** What {@link scanRecords} found: each record's data (views into the input) and where it stopped. */
export interface RecordScan {
  readonly records: Uint8Array[];
  readonly stop: RecordStop;
}

/**
 * Reads the TFRecords in `bytes` from the start, as TensorBoard does: it
 * stops at the first checksum that does not match (`corrupt`) and treats an
 * incomplete last record as not yet written (`truncated`); the records before
 * either are returned. The records are views into `bytes` (no copy).
 */
export function scanRecords(bytes: Uint8Array): RecordScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 12) return {records, stop: {reason: 'truncated', offset}};
    const lengthCrc = view.getUint32(offset + 8, true);
    if (maskedCrc32c(bytes.subarray(offset, offset + 8)) !== lengthCrc) {
      return {records, stop: {reason: 'corrupt', offset, detail: `the length's checksum does not match at byte ${offset}`}};
    }
    const length = view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 2 ** 32;
    const end = offset + 12 + length + 4;
    if (end > bytes.length) return {records, stop: {reason: 'truncated', offset}};
    const data = bytes.subarray(offset + 12, offset + 12 + length);
    if (maskedCrc32c(data) !== view.getUint32(offset + 12 + length, true)) {
      return {records, stop: {reason: 'corrupt', offset, detail: `the data's checksum does not match in the record at byte ${offset}`}};
    }
    records.push(data);
    offset = end;
  }
  return {records, stop: {reason: 'end', offset}};
}
