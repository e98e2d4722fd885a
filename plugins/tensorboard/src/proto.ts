/**
 * The generated TensorBoard messages this package uses (from `proto/`, see
 * `scripts/generate.mjs`), gathered in one place.
 * @module
 */
export {EventSchema, type Event} from './gen/tensorboard/compat/proto/event_pb';
export {
  DataClass,
  SummarySchema,
  Summary_ValueSchema,
  type Summary,
  type Summary_Value,
} from './gen/tensorboard/compat/proto/summary_pb';
export {DataType} from './gen/tensorboard/compat/proto/types_pb';
export {
  HParamsPluginDataSchema,
  SessionEndInfoSchema,
  SessionStartInfoSchema,
  type HParamsPluginData,
} from './gen/tensorboard/plugins/hparams/plugin_data_pb';
export {
  Status,
  DataType as HParamDataType,
  ExperimentSchema,
  HParamInfoSchema,
  MetricInfoSchema,
} from './gen/tensorboard/plugins/hparams/api_pb';
export {HistogramPluginDataSchema} from './gen/tensorboard/plugins/histogram/plugin_data_pb';
export {ImagePluginDataSchema} from './gen/tensorboard/plugins/image/plugin_data_pb';
export {TextPluginDataSchema} from './gen/tensorboard/plugins/text/plugin_data_pb';
export {GraphDefSchema, type GraphDef} from './gen/tensorboard/compat/proto/graph_pb';
export {NodeDefSchema, type NodeDef} from './gen/tensorboard/compat/proto/node_def_pb';
export {AttrValueSchema, type AttrValue} from './gen/tensorboard/compat/proto/attr_value_pb';
