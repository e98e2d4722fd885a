/**
 * `@trellis/tensorboard`: TensorBoard event files in pure TypeScript.
 *
 * - {@link SummaryWriter}: scalars, histograms, images, text and hparams into
 *   an event file (Node) or a byte sink (browsers); a Trellis `Logger`.
 * - {@link tensorBoard}: Keras' TensorBoard callback for `fit` (scalars,
 *   histograms, the layer graph, the model summary, a confusion matrix).
 * - {@link modelGraphDef}: a model's layer graph as a TensorFlow `GraphDef`.
 * - {@link confusionMatrixImage}: a confusion matrix as a heat map image.
 * - {@link readEvents} / {@link decodeEvents} / {@link decodeValue}: reading
 *   event files back, stopping where TensorBoard stops.
 * - {@link crc32c}, {@link frameRecord}, {@link scanRecords}: the TFRecord layer.
 * - {@link encodeEvent} / {@link decodeEvent}: one `Event` record's protobuf
 *   bytes, with plain TypeScript message types ({@link Event}, {@link Summary},
 *   {@link GraphDef}, ...) and no protobuf runtime.
 * @packageDocumentation
 */
export {SummaryWriter, type EventFileInfo, type EventSink, type SummaryWriterOptions} from './writer';
export {tensorBoard, type TensorBoardCallback, type TensorBoardConfig, type TensorBoardOptions} from './callback';
export {tensorboardPlugin} from './plugin';
export {tensorboard} from './namespace';
export {modelGraphDef, type GraphLayer, type GraphModel} from './graph';
export {confusionMatrixImage, confusionMatrixMarkdown, type ConfusionMatrixOptions} from './confusion';
export {decodeEvents, decodeGraphDef, decodeValue, readEvents, type DecodedEvents, type DecodedValue} from './reader';
export {DEFAULT_BUCKET_COUNT, HPARAMS_TAGS, histogramBuckets, type HParamMetric, type HParamValue, type SessionStatus} from './summaries';
export {crc32c, maskCrc, maskedCrc32c, unmaskCrc} from './crc32c';
export {RECORD_OVERHEAD, frameRecord, scanRecords, type RecordScan, type RecordStop} from './record';
export {
  decodeEvent,
  encodeEvent,
  type Event,
  type Summary,
  type Summary_Value,
  type HParamsPluginData,
  type GraphDef,
  type NodeDef,
  type MessageInit,
} from './proto';
