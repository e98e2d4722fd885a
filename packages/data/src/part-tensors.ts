/**
 * Tensors for the checked parts of a data set (internal), the training part
 * split for validation as Keras splits it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {splitIndex} from './train-validation-split';

/** A checked part of a data set: which split it is and how many samples it holds. @internal */
export type PartRows = {readonly part: 'train' | 'test'; readonly count: number};

/**
 * Makes `toTensors(part, begin, end, made)` for the first `samples` rows of
 * each part (all rows when `samples` is undefined); with `validationSplit > 0`
 * the training part becomes `train` (its head) and `validation` (its tail).
 * `toTensors` pushes every tensor it makes onto `made`: if one allocation
 * fails, all of them are disposed and the error rethrown.
 * @returns the tensors by split name (`train`, `validation`, `test`); the caller owns them.
 * @internal
 */
export function tensorsOfParts<P extends PartRows, T>(
  parts: readonly P[],
  options: {readonly samples?: number | undefined; readonly validationSplit: number},
  toTensors: (part: P, begin: number, end: number, made: tf.Tensor[]) => T,
): Record<string, T> {
  const made: tf.Tensor[] = [];
  const result: Record<string, T> = {};
  try {
    for (const part of parts) {
      const n = Math.min(part.count, options.samples ?? Infinity);
      if (part.part === 'train' && options.validationSplit > 0) {
        const at = splitIndex(n, options.validationSplit);
        result.train = toTensors(part, 0, at, made);
        result.validation = toTensors(part, at, n, made);
      } else {
        result[part.part] = toTensors(part, 0, n, made);
      }
    }
  } catch (error) {
    tf.dispose(made);
    throw error;
  }
  return result;
}
