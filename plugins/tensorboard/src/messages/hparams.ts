/**
 * The hparams plugin's messages (`tensorboard/plugins/hparams/{plugin_data,api}.proto`):
 * what its summaries' `content` holds.
 * @module
 */
import {readFields, readMapEntry, type FieldReaders, type ProtoReader} from '../wire/reader';
import {WireType} from '../wire/wire-type';
import type {ProtoWriter} from '../wire/writer';
import type {DatasetType, HParamDataType, Status} from './enums';
import type {MessageInit} from './init';
import {readListValue, readValue, writeListValue, writeValue, type ListValue, type Value} from './struct';

const {VARINT, FIXED64, LENGTH_DELIMITED} = WireType;

/** A closed interval of an hparam's values. */
export interface Interval {
  minValue: number;
  maxValue: number;
}

/** An hparam the experiment declares: its name, type and domain. */
export interface HParamInfo {
  name: string;
  displayName: string;
  description: string;
  type: HParamDataType;
  domain: {case: 'domainDiscrete'; value: ListValue} | {case: 'domainInterval'; value: Interval} | {case: undefined; value?: undefined};
  differs: boolean;
}

/** A metric's name: a scalar tag in the session's run (`group` `''`) or in its sub-run `group`. */
export interface MetricName {
  group: string;
  tag: string;
}

/** A metric the experiment declares. */
export interface MetricInfo {
  name?: MetricName;
  displayName: string;
  description: string;
  datasetType: DatasetType;
}

/** The experiment: the hparams and metrics the HParams dashboard shows. */
export interface Experiment {
  name: string;
  description: string;
  user: string;
  timeCreatedSecs: number;
  hparamInfos: HParamInfo[];
  metricInfos: MetricInfo[];
}

/** The start of a session: its hparam values. */
export interface SessionStartInfo {
  hparams: Record<string, Value>;
  modelUri: string;
  monitorUrl: string;
  groupName: string;
  startTimeSecs: number;
}

/** The end of a session: its status. */
export interface SessionEndInfo {
  status: Status;
  endTimeSecs: number;
}

/** The `content` of an hparams summary's plugin data. */
export interface HParamsPluginData {
  version: number;
  data:
    | {case: 'experiment'; value: Experiment}
    | {case: 'sessionStartInfo'; value: SessionStartInfo}
    | {case: 'sessionEndInfo'; value: SessionEndInfo}
    | {case: undefined; value?: undefined};
}

function writeInterval(w: ProtoWriter, i: MessageInit<Interval>): void {
  w.doubleField(1, i.minValue);
  w.doubleField(2, i.maxValue);
}

function writeHParamInfo(w: ProtoWriter, h: MessageInit<HParamInfo>): void {
  w.stringField(1, h.name);
  w.stringField(2, h.displayName);
  w.stringField(3, h.description);
  w.int32Field(4, h.type);
  if (h.domain?.case === 'domainDiscrete') w.messageField(5, h.domain.value, writeListValue);
  if (h.domain?.case === 'domainInterval') w.messageField(6, h.domain.value, writeInterval);
  w.boolField(7, h.differs);
}

function writeMetricName(w: ProtoWriter, n: MessageInit<MetricName>): void {
  w.stringField(1, n.group);
  w.stringField(2, n.tag);
}

function writeMetricInfo(w: ProtoWriter, m: MessageInit<MetricInfo>): void {
  w.messageField(1, m.name, writeMetricName);
  w.stringField(3, m.displayName);
  w.stringField(4, m.description);
  w.int32Field(5, m.datasetType);
}

function writeExperiment(w: ProtoWriter, e: MessageInit<Experiment>): void {
  w.stringField(1, e.description);
  w.stringField(2, e.user);
  w.doubleField(3, e.timeCreatedSecs);
  w.repeatedField(4, e.hparamInfos, writeHParamInfo);
  w.repeatedField(5, e.metricInfos, writeMetricInfo);
  w.stringField(6, e.name);
}

function writeSessionStart(w: ProtoWriter, s: MessageInit<SessionStartInfo>): void {
  w.mapField(1, s.hparams as Record<string, MessageInit<Value>> | undefined, writeValue);
  w.stringField(2, s.modelUri);
  w.stringField(3, s.monitorUrl);
  w.stringField(4, s.groupName);
  w.doubleField(5, s.startTimeSecs);
}

function writeSessionEnd(w: ProtoWriter, s: MessageInit<SessionEndInfo>): void {
  w.int32Field(1, s.status);
  w.doubleField(2, s.endTimeSecs);
}

/** Writes the fields of an `HParamsPluginData`. */
export function writeHParamsPluginData(w: ProtoWriter, d: MessageInit<HParamsPluginData>): void {
  w.int32Field(1, d.version);
  if (d.data?.case === 'experiment') w.messageField(2, d.data.value, writeExperiment);
  if (d.data?.case === 'sessionStartInfo') w.messageField(3, d.data.value, writeSessionStart);
  if (d.data?.case === 'sessionEndInfo') w.messageField(4, d.data.value, writeSessionEnd);
}

const INTERVAL: FieldReaders<Interval> = {
  1: [FIXED64, (r, m) => void (m.minValue = r.double())],
  2: [FIXED64, (r, m) => void (m.maxValue = r.double())],
};

const HPARAM_INFO: FieldReaders<HParamInfo> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.name = r.string())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.displayName = r.string())],
  3: [LENGTH_DELIMITED, (r, m) => void (m.description = r.string())],
  4: [VARINT, (r, m) => void (m.type = r.int32())],
  5: [LENGTH_DELIMITED, (r, m) => void (m.domain = {case: 'domainDiscrete', value: readListValue(r.message())})],
  6: [
    LENGTH_DELIMITED,
    (r, m) => void (m.domain = {case: 'domainInterval', value: readFields(r.message(), {minValue: 0, maxValue: 0}, INTERVAL)}),
  ],
  7: [VARINT, (r, m) => void (m.differs = r.bool())],
};

const METRIC_NAME: FieldReaders<MetricName> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.group = r.string())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.tag = r.string())],
};

const METRIC_INFO: FieldReaders<MetricInfo> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.name = readFields(r.message(), {group: '', tag: ''}, METRIC_NAME))],
  3: [LENGTH_DELIMITED, (r, m) => void (m.displayName = r.string())],
  4: [LENGTH_DELIMITED, (r, m) => void (m.description = r.string())],
  5: [VARINT, (r, m) => void (m.datasetType = r.int32())],
};

const EXPERIMENT: FieldReaders<Experiment> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.description = r.string())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.user = r.string())],
  3: [FIXED64, (r, m) => void (m.timeCreatedSecs = r.double())],
  4: [
    LENGTH_DELIMITED,
    (r, m) => {
      const init: HParamInfo = {name: '', displayName: '', description: '', type: 0, domain: {case: undefined}, differs: false};
      m.hparamInfos.push(readFields(r.message(), init, HPARAM_INFO));
    },
  ],
  5: [
    LENGTH_DELIMITED,
    (r, m) => void m.metricInfos.push(readFields(r.message(), {displayName: '', description: '', datasetType: 0}, METRIC_INFO)),
  ],
  6: [LENGTH_DELIMITED, (r, m) => void (m.name = r.string())],
};

const SESSION_START: FieldReaders<SessionStartInfo> = {
  1: [LENGTH_DELIMITED, (r, m) => readMapEntry(r.message(), m.hparams, readValue)],
  2: [LENGTH_DELIMITED, (r, m) => void (m.modelUri = r.string())],
  3: [LENGTH_DELIMITED, (r, m) => void (m.monitorUrl = r.string())],
  4: [LENGTH_DELIMITED, (r, m) => void (m.groupName = r.string())],
  5: [FIXED64, (r, m) => void (m.startTimeSecs = r.double())],
};

const SESSION_END: FieldReaders<SessionEndInfo> = {
  1: [VARINT, (r, m) => void (m.status = r.int32())],
  2: [FIXED64, (r, m) => void (m.endTimeSecs = r.double())],
};

const PLUGIN_DATA: FieldReaders<HParamsPluginData> = {
  1: [VARINT, (r, m) => void (m.version = r.int32())],
  2: [
    LENGTH_DELIMITED,
    (r, m) => {
      const init: Experiment = {name: '', description: '', user: '', timeCreatedSecs: 0, hparamInfos: [], metricInfos: []};
      m.data = {case: 'experiment', value: readFields(r.message(), init, EXPERIMENT)};
    },
  ],
  3: [
    LENGTH_DELIMITED,
    (r, m) => {
      const init: SessionStartInfo = {hparams: {}, modelUri: '', monitorUrl: '', groupName: '', startTimeSecs: 0};
      m.data = {case: 'sessionStartInfo', value: readFields(r.message(), init, SESSION_START)};
    },
  ],
  4: [
    LENGTH_DELIMITED,
    (r, m) => void (m.data = {case: 'sessionEndInfo', value: readFields(r.message(), {status: 0, endTimeSecs: 0}, SESSION_END)}),
  ],
};

/** Reads an `HParamsPluginData`. */
export function readHParamsPluginData(r: ProtoReader): HParamsPluginData {
  return readFields(r, {version: 0, data: {case: undefined}}, PLUGIN_DATA);
}
