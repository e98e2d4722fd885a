// The Keras-style namespace: the writer, the callback and the readers under their plain names,
// the very values the flat exports name (nothing is redefined). The TFRecord layer and the
// generated message schemas stay flat exports of the package only.

import {tensorBoard} from './callback';
import {confusionMatrixImage, confusionMatrixMarkdown} from './confusion';
import {modelGraphDef} from './graph';
import {decodeEvents, decodeGraphDef, decodeValue, readEvents} from './reader';
import {histogramBuckets} from './summaries';
import {SummaryWriter} from './writer';

/** TensorBoard under plain names: `new tensorboard.SummaryWriter(logDir)`, `tensorboard.readEvents(path)`. */
export const tensorboard = Object.freeze({
  SummaryWriter,
  confusionMatrixImage,
  confusionMatrixMarkdown,
  decodeEvents,
  decodeGraphDef,
  decodeValue,
  histogramBuckets,
  modelGraphDef,
  readEvents,
  tensorBoard,
} as const);
