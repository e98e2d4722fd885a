/**
 * `Summary`, its values and their metadata (`tensorboard/compat/proto/summary.proto`),
 * and `HistogramProto` (`histogram.proto`).
 * @module
 */
import {readFields, type FieldReaders, type ProtoReader} from '../wire/reader';
import {WireType} from '../wire/wire-type';
import {packed, type ProtoWriter} from '../wire/writer';
import type {DataClass} from './enums';
import type {MessageInit} from './init';
import {readTensor, writeTensor, type TensorProto} from './tensor';

const {VARINT, FIXED64, FIXED32, LENGTH_DELIMITED} = WireType;
const EMPTY = new Uint8Array(0);

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
  value:
    | {case: 'simpleValue'; value: number}
    | {case: 'obsoleteOldStyleHistogram'; value: Uint8Array}
    | {case: 'image'; value: Summary_Image}
    | {case: 'histo'; value: HistogramProto}
    | {case: 'audio'; value: Summary_Audio}
    | {case: 'tensor'; value: TensorProto}
    | {case: undefined; value?: undefined};
}

/** The summary of an event: its values. */
export interface Summary {
  value: Summary_Value[];
}

function writePluginData(w: ProtoWriter, p: MessageInit<SummaryMetadata_PluginData>): void {
  w.stringField(1, p.pluginName);
  w.bytesField(2, p.content);
}

function writeMetadata(w: ProtoWriter, m: MessageInit<SummaryMetadata>): void {
  w.messageField(1, m.pluginData, writePluginData);
  w.stringField(2, m.displayName);
  w.stringField(3, m.summaryDescription);
  w.int32Field(4, m.dataClass);
}

function writeHistogram(w: ProtoWriter, h: MessageInit<HistogramProto>): void {
  w.doubleField(1, h.min);
  w.doubleField(2, h.max);
  w.doubleField(3, h.num);
  w.doubleField(4, h.sum);
  w.doubleField(5, h.sumSquares);
  w.packedField(6, h.bucketLimit, packed.double);
  w.packedField(7, h.bucket, packed.double);
}

function writeImage(w: ProtoWriter, i: MessageInit<Summary_Image>): void {
  w.int32Field(1, i.height);
  w.int32Field(2, i.width);
  w.int32Field(3, i.colorspace);
  w.bytesField(4, i.encodedImageString);
}

function writeAudio(w: ProtoWriter, a: MessageInit<Summary_Audio>): void {
  w.floatField(1, a.sampleRate);
  w.int64Field(2, a.numChannels);
  w.int64Field(3, a.lengthFrames);
  w.bytesField(4, a.encodedAudioString);
  w.stringField(5, a.contentType);
}

/** Writes the fields of a `Summary.Value` (in field-number order: the oneof's member before `metadata`). */
export function writeSummaryValue(w: ProtoWriter, v: MessageInit<Summary_Value>): void {
  const value = v.value;
  w.stringField(1, v.tag);
  if (value?.case === 'simpleValue') w.floatField(2, value.value, true);
  if (value?.case === 'obsoleteOldStyleHistogram') w.bytesField(3, value.value, true);
  if (value?.case === 'image') w.messageField(4, value.value, writeImage);
  if (value?.case === 'histo') w.messageField(5, value.value, writeHistogram);
  if (value?.case === 'audio') w.messageField(6, value.value, writeAudio);
  w.stringField(7, v.nodeName);
  if (value?.case === 'tensor') w.messageField(8, value.value, writeTensor);
  w.messageField(9, v.metadata, writeMetadata);
}

/** Writes the fields of a `Summary`. */
export function writeSummary(w: ProtoWriter, s: MessageInit<Summary>): void {
  w.repeatedField(1, s.value, writeSummaryValue);
}

const PLUGIN_DATA: FieldReaders<SummaryMetadata_PluginData> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.pluginName = r.string())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.content = r.bytes())],
};

const METADATA: FieldReaders<SummaryMetadata> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.pluginData = readFields(r.message(), {pluginName: '', content: EMPTY}, PLUGIN_DATA))],
  2: [LENGTH_DELIMITED, (r, m) => void (m.displayName = r.string())],
  3: [LENGTH_DELIMITED, (r, m) => void (m.summaryDescription = r.string())],
  4: [VARINT, (r, m) => void (m.dataClass = r.int32())],
};

const double = (r: ProtoReader) => r.double();

const HISTOGRAM: FieldReaders<HistogramProto> = {
  1: [FIXED64, (r, m) => void (m.min = r.double())],
  2: [FIXED64, (r, m) => void (m.max = r.double())],
  3: [FIXED64, (r, m) => void (m.num = r.double())],
  4: [FIXED64, (r, m) => void (m.sum = r.double())],
  5: [FIXED64, (r, m) => void (m.sumSquares = r.double())],
  6: [null, (r, m, w) => r.repeated(w, FIXED64, double, m.bucketLimit)],
  7: [null, (r, m, w) => r.repeated(w, FIXED64, double, m.bucket)],
};

const IMAGE: FieldReaders<Summary_Image> = {
  1: [VARINT, (r, m) => void (m.height = r.int32())],
  2: [VARINT, (r, m) => void (m.width = r.int32())],
  3: [VARINT, (r, m) => void (m.colorspace = r.int32())],
  4: [LENGTH_DELIMITED, (r, m) => void (m.encodedImageString = r.bytes())],
};

const AUDIO: FieldReaders<Summary_Audio> = {
  1: [FIXED32, (r, m) => void (m.sampleRate = r.float())],
  2: [VARINT, (r, m) => void (m.numChannels = r.int64())],
  3: [VARINT, (r, m) => void (m.lengthFrames = r.int64())],
  4: [LENGTH_DELIMITED, (r, m) => void (m.encodedAudioString = r.bytes())],
  5: [LENGTH_DELIMITED, (r, m) => void (m.contentType = r.string())],
};

const VALUE: FieldReaders<Summary_Value> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.tag = r.string())],
  2: [FIXED32, (r, m) => void (m.value = {case: 'simpleValue', value: r.float()})],
  3: [LENGTH_DELIMITED, (r, m) => void (m.value = {case: 'obsoleteOldStyleHistogram', value: r.bytes()})],
  4: [
    LENGTH_DELIMITED,
    (r, m) => {
      const value = readFields<Summary_Image>(r.message(), {height: 0, width: 0, colorspace: 0, encodedImageString: EMPTY}, IMAGE);
      m.value = {case: 'image', value};
    },
  ],
  5: [
    LENGTH_DELIMITED,
    (r, m) => {
      const value = readFields<HistogramProto>(
        r.message(),
        {min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: []},
        HISTOGRAM,
      );
      m.value = {case: 'histo', value};
    },
  ],
  6: [
    LENGTH_DELIMITED,
    (r, m) => {
      const init: Summary_Audio = {sampleRate: 0, numChannels: 0n, lengthFrames: 0n, encodedAudioString: EMPTY, contentType: ''};
      m.value = {case: 'audio', value: readFields(r.message(), init, AUDIO)};
    },
  ],
  7: [LENGTH_DELIMITED, (r, m) => void (m.nodeName = r.string())],
  8: [LENGTH_DELIMITED, (r, m) => void (m.value = {case: 'tensor', value: readTensor(r.message())})],
  9: [
    LENGTH_DELIMITED,
    (r, m) => void (m.metadata = readFields(r.message(), {displayName: '', summaryDescription: '', dataClass: 0}, METADATA)),
  ],
};

/** Reads a `Summary.Value`. */
export function readSummaryValue(r: ProtoReader): Summary_Value {
  return readFields(r, {nodeName: '', tag: '', value: {case: undefined}}, VALUE);
}

/** Reads a `Summary`. */
export function readSummary(r: ProtoReader): Summary {
  return readFields<Summary>(r, {value: []}, {1: [LENGTH_DELIMITED, (e, m) => void m.value.push(readSummaryValue(e.message()))]});
}
