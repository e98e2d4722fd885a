/**
 * `Event` (`tensorboard/compat/proto/event.proto`): one record of an event
 * file, and its encoding.
 * @module
 */
import {defineMessage} from './message-schema';
import {decodeMessage} from '../wire/reader';
import {encodeMessage} from '../wire/writer';
import type {SessionLog_SessionStatus} from './enums';
import type {MessageInit} from './init';
import {SUMMARY, type Summary} from './summary';
import type {OneOf} from './one-of';

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
  what: OneOf<{
    fileVersion: string;
    graphDef: Uint8Array;
    summary: Summary;
    sessionLog: SessionLog;
    taggedRunMetadata: TaggedRunMetadata;
    metaGraphDef: Uint8Array;
  }>;
  sourceMetadata?: SourceMetadata;
}

const SESSION_LOG = defineMessage<SessionLog>([
  [1, 'status', 'int32'],
  [2, 'checkpointPath', 'string'],
  [3, 'msg', 'string'],
]);

const TAGGED_RUN_METADATA = defineMessage<TaggedRunMetadata>([
  [1, 'tag', 'string'],
  [2, 'runMetadata', 'bytes'],
]);

const SOURCE_METADATA = defineMessage<SourceMetadata>([[1, 'writer', 'string']]);

const what = {oneof: 'what'} as const;

const EVENT = defineMessage<Event>([
  [1, 'wallTime', 'double'],
  [2, 'step', 'int64'],
  [3, 'fileVersion', 'string', what],
  [4, 'graphDef', 'bytes', what],
  [5, 'summary', () => SUMMARY, what],
  [7, 'sessionLog', () => SESSION_LOG, what],
  [8, 'taggedRunMetadata', () => TAGGED_RUN_METADATA, what],
  [9, 'metaGraphDef', 'bytes', what],
  [10, 'sourceMetadata', () => SOURCE_METADATA],
]);

/**
 * Serializes an `Event` as protobuf bytes (the data of one event-file
 * record, see `frameRecord`). Fields left out are not written, as protobuf
 * writes zero values.
 *
 * @example
 * const bytes = encodeEvent({wallTime: Date.now() / 1000, step: 3n, what: {case: 'summary', value: {value: [...]}}});
 */
export function encodeEvent(event: MessageInit<Event>): Uint8Array {
  return encodeMessage(event, EVENT.write);
}

/**
 * Parses the protobuf bytes of an `Event` (the data of one event-file
 * record). Unknown fields are skipped; byte fields are views into `bytes`.
 * @throws DataError when the bytes are truncated or not a protobuf message.
 */
export function decodeEvent(bytes: Uint8Array): Event {
  return decodeMessage(bytes, EVENT.read);
}
