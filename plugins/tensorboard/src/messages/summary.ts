/**
 * `Summary`, its values and their metadata (`tensorboard/compat/proto/summary.proto`),
 * and `HistogramProto` (`histogram.proto`).
 * @module
 */
import {defineMessage, type MessageSchema} from './message-schema';
import type {DataClass} from './enums';
import {TENSOR, type TensorProto} from './tensor';
import type {OneOf} from './one-of';

/** The plugin a summary belongs to, and the plugin's own serialized data. */
export interface SummaryMetadata_PluginData {
  pluginName: string;
  content: Uint8Array;
}

/** What a summary value is: its plugin, display name, description and data class. */
export interface SummaryMetadata {
  pluginData?: SummaryMetadata_PluginData;
  displayName: string;
  summaryDescription: string;
  dataClass: DataClass;
}

/** A legacy histogram (TF1's `tf.summary.histogram`). */
export interface HistogramProto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** A legacy encoded image. */
export interface Summary_Image {
  height: number;
  width: number;
  colorspace: number;
  encodedImageString: Uint8Array;
}

/** A legacy encoded audio clip. */
export interface Summary_Audio {
  sampleRate: number;
  numChannels: bigint;
  lengthFrames: bigint;
  encodedAudioString: Uint8Array;
  contentType: string;
}

/** One tagged value of a summary. */
export interface Summary_Value {
  nodeName: string;
  tag: string;
  metadata?: SummaryMetadata;
  value: OneOf<{
    simpleValue: number;
    obsoleteOldStyleHistogram: Uint8Array;
    image: Summary_Image;
    histo: HistogramProto;
    audio: Summary_Audio;
    tensor: TensorProto;
  }>;
}

/** The summary of an event: its values. */
export interface Summary {
  value: Summary_Value[];
}

const PLUGIN_DATA = defineMessage<SummaryMetadata_PluginData>([
  [1, 'pluginName', 'string'],
  [2, 'content', 'bytes'],
]);

const METADATA = defineMessage<SummaryMetadata>([
  [1, 'pluginData', () => PLUGIN_DATA],
  [2, 'displayName', 'string'],
  [3, 'summaryDescription', 'string'],
  [4, 'dataClass', 'int32'],
]);

const HISTOGRAM = defineMessage<HistogramProto>([
  [1, 'min', 'double'],
  [2, 'max', 'double'],
  [3, 'num', 'double'],
  [4, 'sum', 'double'],
  [5, 'sumSquares', 'double'],
  [6, 'bucketLimit', 'double', 'repeated'],
  [7, 'bucket', 'double', 'repeated'],
]);

const IMAGE = defineMessage<Summary_Image>([
  [1, 'height', 'int32'],
  [2, 'width', 'int32'],
  [3, 'colorspace', 'int32'],
  [4, 'encodedImageString', 'bytes'],
]);

const AUDIO = defineMessage<Summary_Audio>([
  [1, 'sampleRate', 'float'],
  [2, 'numChannels', 'int64'],
  [3, 'lengthFrames', 'int64'],
  [4, 'encodedAudioString', 'bytes'],
  [5, 'contentType', 'string'],
]);

const value = {oneof: 'value'} as const;

const VALUE = defineMessage<Summary_Value>([
  [7, 'nodeName', 'string'],
  [1, 'tag', 'string'],
  [9, 'metadata', () => METADATA],
  [2, 'simpleValue', 'float', value],
  [3, 'obsoleteOldStyleHistogram', 'bytes', value],
  [4, 'image', () => IMAGE, value],
  [5, 'histo', () => HISTOGRAM, value],
  [6, 'audio', () => AUDIO, value],
  [8, 'tensor', () => TENSOR, value],
]);

/** Writes the fields of a `Summary.Value` (in field-number order: the oneof's members around `node_name`). */
export const writeSummaryValue: MessageSchema<Summary_Value>['write'] = VALUE.write;

/** Reads a `Summary.Value`. */
export const readSummaryValue: MessageSchema<Summary_Value>['read'] = VALUE.read;

/** The summary of an event: `Summary`. */
export const SUMMARY: MessageSchema<Summary> = defineMessage<Summary>([[1, 'value', () => VALUE, 'repeated']]);
