/**
 * State trees: what optimizers and metrics carry between steps.
 *
 * Contract version 1.
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';

/**
 * Tensors and host numbers nested in arrays and records. Host numbers (step
 * counters) avoid a device readback per step. Tensors inside a state tree are
 * owned by whoever holds the tree (the fit loop or a stateful facade).
 */
export type StateTree = Tensor | number | readonly StateTree[] | {readonly [key: string]: StateTree};

/** Tensors keyed by a variable's name, e.g. `dense/kernel`. */
export interface NamedTensors<T extends Tensor = Tensor> {
  readonly [name: string]: T;
}
