/**
 * The elementwise merge layers that fold their inputs with one binary op,
 * left to right (internal): `add`, `multiply`, `average`, `maximum`, `minimum`.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {knownOptions} from '../option-keys';
import {ElementwiseMerge, MERGE_KEYS, broadcastInputs, type MergeConfig, type MergeOptions} from './base-merge';
import {type SymbolicMergeLayer} from './symbolic-layer';

/** How a {@link foldMerge} layer combines its inputs. */
type Fold = {
  /** The binary op, applied as `op(op(x0, x1), x2)…`. */
  readonly op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  /**
   * Broadcast the inputs to their common shape first, for ops whose tfjs
   * gradient does not sum over broadcast axes (`tf.maximum`, `tf.minimum`).
   */
  readonly broadcast?: boolean;
  /** Turns the folded value into the output, given the number of inputs (`average` divides by it). */
  readonly finish?: (folded: tf.Tensor, count: number) => tf.Tensor;
};

/** A new elementwise merge layer `kind` (`trellis/<kind>`) that folds its inputs with `fold`; checks the option names. */
export function foldMerge(kind: string, options: MergeOptions | undefined, fold: Fold): SymbolicMergeLayer<MergeConfig> {
  return new FoldMerge(kind, knownOptions(kind, options, MERGE_KEYS), fold);
}

class FoldMerge extends ElementwiseMerge {
  readonly #fold: Fold;

  constructor(kind: string, options: MergeOptions, fold: Fold) {
    super(kind, options);
    this.#fold = fold;
  }

  protected merge(inputs: readonly tf.Tensor[]): tf.Tensor {
    const {op, broadcast, finish} = this.#fold;
    const xs = broadcast ? broadcastInputs(inputs) : inputs;
    const folded = xs.slice(1).reduce((output, x) => op(output, x), xs[0]!);
    return finish ? finish(folded, inputs.length) : folded;
  }
}
