/**
 * The TensorBoard messages this package reads and writes (a field table per
 * message in `messages/`, written and read by one encoder and decoder over
 * the wire format of `wire/`), gathered in one place.
 * @module
 */
export {DataClass, DataType, HParamDataType, Status} from './messages/enums';
export {decodeEvent, encodeEvent, type Event} from './messages/event';
export {writeGraphDef, readGraphDef, type AttrValue, type GraphDef, type NodeDef} from './messages/graph-def';
export {readHParamsPluginData, writeHParamsPluginData, type HParamsPluginData} from './messages/hparams';
export type {MessageInit} from './messages/init';
export type {Value} from './messages/struct';
export {writeSummaryValue, type Summary, type Summary_Value} from './messages/summary';
export {decodeMessage} from './wire/reader';
export {encodeMessage} from './wire/writer';
