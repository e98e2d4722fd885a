/**
 * Running a layer outside a model: the build and call contexts a model would
 * hand it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {BuildContext, CallContext, WeightRequest} from '@trellis/core';

let contexts = 0;

/** A build context whose variables the test owns; call `dispose()` at the end. */
export interface TestBuildContext extends BuildContext {
  /** Variables by weight name (`kernel`, `bias`). */
  readonly weights: Map<string, tf.Variable>;
  /** Requests as received, for assertions. */
  readonly requests: WeightRequest[];
  /** Disposes every variable created so far. */
  dispose(): void;
}

/**
 * A build context that creates float32 (or requested dtype) `tf.variable`s
 * named `test<n>/<layerName>/<weight>` (unique per context, since tfjs variable
 * names are global), initialized by each request's initializer with seeds
 * `seed`, `seed + 1`, … in request order.
 */
export function createBuildContext(layerName = 'layer', seed = 1234): TestBuildContext {
  const prefix = `test${++contexts}/${layerName}`;
  const weights = new Map<string, tf.Variable>();
  const requests: WeightRequest[] = [];
  let seeds = seed;
  return {
    weights,
    requests,
    addWeight(request) {
      requests.push(request);
      const initial = request.initializer([...request.shape], request.dtype ?? 'float32', seeds++);
      const variable = tf.variable(initial, request.trainable ?? true, `${prefix}/${request.name}`);
      initial.dispose();
      weights.set(request.name, variable);
      return variable;
    },
    dispose() {
      for (const v of weights.values()) v.dispose();
      weights.clear();
    },
  };
}

/** A call context (`training` flag) with a deterministic seed stream starting at `seed`. */
export function callContext(training: boolean, seed = 7): CallContext {
  let next = seed;
  return {training, nextSeed: () => next++};
}
