/**
 * `Event` (`tensorboard/compat/proto/event.proto`): one record of an event
 * file, and its encoding.
 * @module
 */
import {decodeMessage, readFields, type FieldReaders, type ProtoReader} from '../wire/reader';
import {WireType} from '../wire/wire-type';
import {encodeMessage, type ProtoWriter} from '../wire/writer';
import type {SessionLog_SessionStatus} from './enums';
import type {MessageInit} from './init';
import {readSummary, writeSummary, type Summary} from './summary';

const {VARINT, FIXED64, LENGTH_DELIMITED} = WireType;

/** A session's start, stop or checkpoint (TF1 writers). */
export interface SessionLog {
  status: SessionLog_SessionStatus;
  checkpointPath: string;
  msg: string;
}

/** Run metadata with a tag (TF1 writers). */
export interface TaggedRunMetadata {
  tag: string;
  runMetadata: Uint8Array;
}

/** The writer of an event file. */
export interface SourceMetadata {
  writer: string;
}

/**
 * One event: its wall time (seconds), step, and what it holds: the file
 * version (the first event of a file), a serialized `GraphDef`, a summary,
 * and the rarer kinds older writers produce.
 */
export interface Event {
  wallTime: number;
  step: bigint;
  what:
    | {case: 'fileVersion'; value: string}
    | {case: 'graphDef'; value: Uint8Array}
    | {case: 'summary'; value: Summary}
    | {case: 'sessionLog'; value: SessionLog}
    | {case: 'taggedRunMetadata'; value: TaggedRunMetadata}
    | {case: 'metaGraphDef'; value: Uint8Array}
    | {case: undefined; value?: undefined};
  sourceMetadata?: SourceMetadata;
}

function writeSessionLog(w: ProtoWriter, s: MessageInit<SessionLog>): void {
  w.int32Field(1, s.status);
  w.stringField(2, s.checkpointPath);
  w.stringField(3, s.msg);
}

function writeTaggedRunMetadata(w: ProtoWriter, t: MessageInit<TaggedRunMetadata>): void {
  w.stringField(1, t.tag);
  w.bytesField(2, t.runMetadata);
}

function writeSourceMetadata(w: ProtoWriter, s: MessageInit<SourceMetadata>): void {
  w.stringField(1, s.writer);
}

function writeEvent(w: ProtoWriter, e: MessageInit<Event>): void {
  const what = e.what;
  w.doubleField(1, e.wallTime);
  w.int64Field(2, e.step);
  if (what?.case === 'fileVersion') w.stringField(3, what.value, true);
  if (what?.case === 'graphDef') w.bytesField(4, what.value, true);
  if (what?.case === 'summary') w.messageField(5, what.value, writeSummary);
  if (what?.case === 'sessionLog') w.messageField(7, what.value, writeSessionLog);
  if (what?.case === 'taggedRunMetadata') w.messageField(8, what.value, writeTaggedRunMetadata);
  if (what?.case === 'metaGraphDef') w.bytesField(9, what.value, true);
  w.messageField(10, e.sourceMetadata, writeSourceMetadata);
}

const SESSION_LOG: FieldReaders<SessionLog> = {
  1: [VARINT, (r, m) => void (m.status = r.int32())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.checkpointPath = r.string())],
  3: [LENGTH_DELIMITED, (r, m) => void (m.msg = r.string())],
};

const TAGGED: FieldReaders<TaggedRunMetadata> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.tag = r.string())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.runMetadata = r.bytes())],
};

const EVENT: FieldReaders<Event> = {
  1: [FIXED64, (r, m) => void (m.wallTime = r.double())],
  2: [VARINT, (r, m) => void (m.step = r.int64())],
  3: [LENGTH_DELIMITED, (r, m) => void (m.what = {case: 'fileVersion', value: r.string()})],
  4: [LENGTH_DELIMITED, (r, m) => void (m.what = {case: 'graphDef', value: r.bytes()})],
  5: [LENGTH_DELIMITED, (r, m) => void (m.what = {case: 'summary', value: readSummary(r.message())})],
  7: [
    LENGTH_DELIMITED,
    (r, m) => void (m.what = {case: 'sessionLog', value: readFields(r.message(), {status: 0, checkpointPath: '', msg: ''}, SESSION_LOG)}),
  ],
  8: [
    LENGTH_DELIMITED,
    (r, m) => {
      const value = readFields(r.message(), {tag: '', runMetadata: new Uint8Array(0)}, TAGGED);
      m.what = {case: 'taggedRunMetadata', value};
    },
  ],
  9: [LENGTH_DELIMITED, (r, m) => void (m.what = {case: 'metaGraphDef', value: r.bytes()})],
  10: [
    LENGTH_DELIMITED,
    (r, m) =>
      void (m.sourceMetadata = readFields(r.message(), {writer: ''}, {1: [LENGTH_DELIMITED, (s, x) => void (x.writer = s.string())]})),
  ],
};

function readEvent(r: ProtoReader): Event {
  return readFields(r, {wallTime: 0, step: 0n, what: {case: undefined}}, EVENT);
}

/**
 * Serializes an `Event` as protobuf bytes (the data of one event-file
 * record, see `frameRecord`). Fields left out are not written, as protobuf
 * writes zero values.
 *
 * @example
 * const bytes = encodeEvent({wallTime: Date.now() / 1000, step: 3n, what: {case: 'summary', value: {value: [...]}}});
 */
export function encodeEvent(event: MessageInit<Event>): Uint8Array {
  return encodeMessage(event, writeEvent);
}

/**
 * Parses the protobuf bytes of an `Event` (the data of one event-file
 * record). Unknown fields are skipped; byte fields are views into `bytes`.
 * @throws DataError when the bytes are truncated or not a protobuf message.
 */
export function decodeEvent(bytes: Uint8Array): Event {
  return decodeMessage(bytes, readEvent);
}
