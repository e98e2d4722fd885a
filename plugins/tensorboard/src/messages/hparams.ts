/**
 * The hparams plugin's messages (`tensorboard/plugins/hparams/{plugin_data,api}.proto`):
 * what its summaries' `content` holds.
 * @module
 */
import {defineMessage, type MessageSchema} from './message-schema';
import type {DatasetType, HParamDataType, Status} from './enums';
import {LIST_VALUE, VALUE, type ListValue, type Value} from './struct';
import type {OneOf} from './one-of';

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
  domain: OneOf<{domainDiscrete: ListValue; domainInterval: Interval}>;
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
  data: OneOf<{experiment: Experiment; sessionStartInfo: SessionStartInfo; sessionEndInfo: SessionEndInfo}>;
}

const INTERVAL = defineMessage<Interval>([
  [1, 'minValue', 'double'],
  [2, 'maxValue', 'double'],
]);

const domain = {oneof: 'domain'} as const;

const HPARAM_INFO = defineMessage<HParamInfo>([
  [1, 'name', 'string'],
  [2, 'displayName', 'string'],
  [3, 'description', 'string'],
  [4, 'type', 'int32'],
  [5, 'domainDiscrete', () => LIST_VALUE, domain],
  [6, 'domainInterval', () => INTERVAL, domain],
  [7, 'differs', 'bool'],
]);

const METRIC_NAME = defineMessage<MetricName>([
  [1, 'group', 'string'],
  [2, 'tag', 'string'],
]);

const METRIC_INFO = defineMessage<MetricInfo>([
  [1, 'name', () => METRIC_NAME],
  [3, 'displayName', 'string'],
  [4, 'description', 'string'],
  [5, 'datasetType', 'int32'],
]);

const EXPERIMENT = defineMessage<Experiment>([
  [6, 'name', 'string'],
  [1, 'description', 'string'],
  [2, 'user', 'string'],
  [3, 'timeCreatedSecs', 'double'],
  [4, 'hparamInfos', () => HPARAM_INFO, 'repeated'],
  [5, 'metricInfos', () => METRIC_INFO, 'repeated'],
]);

const SESSION_START_INFO = defineMessage<SessionStartInfo>([
  [1, 'hparams', () => VALUE, 'map'],
  [2, 'modelUri', 'string'],
  [3, 'monitorUrl', 'string'],
  [4, 'groupName', 'string'],
  [5, 'startTimeSecs', 'double'],
]);

const SESSION_END_INFO = defineMessage<SessionEndInfo>([
  [1, 'status', 'int32'],
  [2, 'endTimeSecs', 'double'],
]);

const data = {oneof: 'data'} as const;

const PLUGIN_DATA = defineMessage<HParamsPluginData>([
  [1, 'version', 'int32'],
  [2, 'experiment', () => EXPERIMENT, data],
  [3, 'sessionStartInfo', () => SESSION_START_INFO, data],
  [4, 'sessionEndInfo', () => SESSION_END_INFO, data],
]);

/** Writes the fields of an `HParamsPluginData`. */
export const writeHParamsPluginData: MessageSchema<HParamsPluginData>['write'] = PLUGIN_DATA.write;

/** Reads an `HParamsPluginData`. */
export const readHParamsPluginData: MessageSchema<HParamsPluginData>['read'] = PLUGIN_DATA.read;
