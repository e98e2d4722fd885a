/**
 * Reading event files back: records, events, and the summaries in them.
 * @module
 */
import {ConfigError, DataError, describeValue} from '@trellis/core';
import {
  DataType,
  decodeEvent,
  decodeMessage,
  readGraphDef,
  readHParamsPluginData,
  type Event,
  type GraphDef,
  type HParamsPluginData,
  type Summary_Value,
} from './proto';
import {scanRecords, type RecordStop} from './record';

/** The events of a file and where reading stopped ({@link decodeEvents}). */
export interface DecodedEvents {
  readonly events: Event[];
  /** `end`, or where and why reading stopped early (`truncated` tail, `corrupt` record). */
  readonly stop: RecordStop;
}

function toBytes(who: string, source: unknown): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new ConfigError(`${who}: expected a file path (string) or the file's bytes (Uint8Array); got ${describeValue(source)}.`);
}

/**
 * Decodes the events of an event file's bytes, as TensorBoard reads them:
 * reading stops at a record whose checksum does not match or that does not
 * decode (`stop.reason` `'corrupt'`), and an incomplete last record is left
 * out (`'truncated'`, a write in progress). The events before are returned.
 * @throws ConfigError when `bytes` is not a byte array.
 */
export function decodeEvents(bytes: Uint8Array | ArrayBuffer): DecodedEvents {
  const data = toBytes('decodeEvents', bytes);
  const {records, stop} = scanRecords(data);
  const events: Event[] = [];
  for (const record of records) {
    try {
      events.push(decodeEvent(record));
    } catch (error) {
      const at = record.byteOffset - data.byteOffset - 12;
      return {
        events,
        stop: {reason: 'corrupt', offset: at, detail: `the record at byte ${at} is not an Event (${(error as Error).message})`},
      };
    }
  }
  return {events, stop};
}

/**
 * Yields the events of an event file (a path, read in Node, or its bytes)
 * in order, stopping where TensorBoard stops (see {@link decodeEvents}).
 * @throws ConfigError for another kind of source; DataError when the file
 *   cannot be read.
 */
export async function* readEvents(source: string | Uint8Array | ArrayBuffer): AsyncGenerator<Event, RecordStop, undefined> {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    try {
      bytes = await fs.readFile(source);
    } catch (cause) {
      throw new DataError(
        `readEvents: cannot read '${source}' (${(cause as Error).message}); expected an event file (events.out.tfevents.*).`,
        {cause},
      );
    }
  } else {
    bytes = toBytes('readEvents', source);
  }
  const {events, stop} = decodeEvents(bytes);
  for (const event of events) yield event;
  return stop;
}

/** A summary value decoded by what its plugin stores ({@link decodeValue}). */
export type DecodedValue =
  | {readonly kind: 'scalar'; readonly tag: string; readonly value: number}
  /** Rows `[left, right, count]`. */
  | {readonly kind: 'histogram'; readonly tag: string; readonly buckets: [number, number, number][]}
  /** PNG (or other encoded) images, all `width` × `height`. */
  | {readonly kind: 'image'; readonly tag: string; readonly width: number; readonly height: number; readonly images: Uint8Array[]}
  | {readonly kind: 'text'; readonly tag: string; readonly text: string}
  | {readonly kind: 'hparams'; readonly tag: string; readonly data: HParamsPluginData}
  /** Anything else (audio, legacy histograms, other plugins): the message as it is. */
  | {readonly kind: 'other'; readonly tag: string; readonly value: Summary_Value};

const utf8 = new TextDecoder();

/**
 * Decodes one summary value by its plugin (from its metadata): scalars
 * (`simple_value` or a float tensor), histograms, images, text and hparams
 * as this package and `tf.summary` write them; anything else as `other`.
 * The image bytes are views into the event (no copy).
 * @throws DataError when a scalar holds no value or hparams data does not decode (a damaged event).
 */
export function decodeValue(value: Summary_Value): DecodedValue {
  const tag = value.tag;
  const plugin = value.metadata?.pluginData?.pluginName ?? '';
  if (value.value.case === 'simpleValue') return {kind: 'scalar', tag, value: value.value.value};
  if (value.value.case !== 'tensor') return {kind: 'other', tag, value};
  const t = value.value.value;
  const content = t.tensorContent;
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  if (plugin === 'scalars') {
    const bytes = t.dtype === DataType.DT_DOUBLE ? 8 : 4;
    if (t.floatVal.length === 0 && t.doubleVal.length === 0 && content.byteLength < bytes) {
      throw new DataError(
        `decodeValue: the scalar '${tag}' holds no value (its tensor has ${content.byteLength} bytes of content, expected ${bytes}); the event is damaged.`,
      );
    }
    const v =
      t.floatVal.length > 0
        ? t.floatVal[0]!
        : t.doubleVal.length > 0
          ? t.doubleVal[0]!
          : t.dtype === DataType.DT_DOUBLE
            ? view.getFloat64(0, true)
            : view.getFloat32(0, true);
    return {kind: 'scalar', tag, value: v};
  }
  if (plugin === 'histograms') {
    const flat = t.doubleVal.length > 0 ? t.doubleVal : t.floatVal.length > 0 ? t.floatVal : null;
    const size = t.dtype === DataType.DT_DOUBLE ? 8 : 4;
    const n = flat ? flat.length : content.length / size;
    const at = (i: number) => (flat ? flat[i]! : size === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true));
    const buckets: [number, number, number][] = [];
    for (let i = 0; i + 2 < n; i += 3) buckets.push([at(i), at(i + 1), at(i + 2)]);
    return {kind: 'histogram', tag, buckets};
  }
  if (plugin === 'images') {
    const [w, h, ...images] = t.stringVal;
    return {kind: 'image', tag, width: Number(utf8.decode(w)), height: Number(utf8.decode(h)), images};
  }
  if (plugin === 'text') return {kind: 'text', tag, text: t.stringVal.map((s) => utf8.decode(s)).join('\n')};
  if (plugin === 'hparams') {
    try {
      return {kind: 'hparams', tag, data: decodeMessage(value.metadata!.pluginData!.content, readHParamsPluginData)};
    } catch (cause) {
      throw new DataError(
        `decodeValue: the hparams summary '${tag}' does not hold HParamsPluginData (${(cause as Error).message}); the event is damaged.`,
        {cause},
      );
    }
  }
  return {kind: 'other', tag, value};
}

/**
 * The `GraphDef` of a graph event (`event.what.case === 'graphDef'`, the
 * bytes `SummaryWriter.graph` writes): its nodes' names, ops and inputs.
 * @throws DataError when the bytes are not a `GraphDef`.
 */
export function decodeGraphDef(bytes: Uint8Array): GraphDef {
  try {
    return decodeMessage(bytes, readGraphDef);
  } catch (cause) {
    throw new DataError(`decodeGraphDef: the bytes are not a TensorFlow GraphDef (${(cause as Error).message}).`, {cause});
  }
}
