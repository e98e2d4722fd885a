/**
 * Merge layers on input shapes (without batch) that both the merge-layer
 * comparison and the output-shape comparison use.
 * @module
 */
import {layers, type MultiInputLayer} from 'trellis';

/** A merge layer and the shapes of its inputs, without batch. */
export type MergeShapes = {readonly make: () => MultiInputLayer; readonly inputShapes: number[][]};

/** Broadcast shapes for subtract, multiply and maximum; concatenation on the last axis and on axis 1. */
export const MERGE_SHAPES = {
  subtractBroadcast: {
    make: () => layers.subtract(),
    inputShapes: [
      [2, 1, 4],
      [3, 1],
    ],
  },
  multiplyBroadcast: {
    make: () => layers.multiply(),
    inputShapes: [
      [1, 5],
      [3, 1],
    ],
  },
  maximumBroadcast: {make: () => layers.maximum(), inputShapes: [[2, 1, 4], [3, 1], [4]]},
  concatenateLastAxis: {
    make: () => layers.concatenate(),
    inputShapes: [
      [4, 3],
      [4, 5],
    ],
  },
  concatenateAxis1: {
    make: () => layers.concatenate({axis: 1}),
    inputShapes: [
      [2, 3],
      [4, 3],
      [1, 3],
    ],
  },
} satisfies Record<string, MergeShapes>;
