// Layer training cases (every layer of @trellis/layers trained for a few
// steps) and the inputs of the cpu references that replace wrong cpu
// kernels, for running on webgpu and comparing its numbers with cpu's. The
// layer list is the one of the shared kernel-coverage table of
// @trellis/testing, which takes one gradient per layer; here each layer
// takes several steps.
//
// Every case draws its inputs from `rand`, whose seed restarts at
// `resetSeed()` (at 7, as the shared table's cases do), so two runs of a case
// (one per backend) see the same numbers: tfjs-core makes seeded random
// tensors in JavaScript, the same on every backend.
import * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import * as t from '@trellis/layers';
import {callContext, coverageIds, coverageLayers, createBuildContext, type TestBuildContext} from '@trellis/testing';

export type Computation = readonly [name: string, run: () => tf.Tensor | tf.Tensor[]];

let seed = 7;
/** Restarts the seed stream, before each run of a case. */
export function resetSeed(): void {
  seed = 7;
}
export const rand = (shape: number[], low = -1, high = 1) => tf.randomUniform(shape, low, high, 'float32', seed++);
/**
 * The weights of the objective `sum(y · w)` whose gradients the layer steps
 * take. Positive (0.25 to 1), unlike the shared table's `linspace(-1, 1)`:
 * with weights symmetric around zero a bias gradient is a sum of ±terms that
 * cancel to under 1% of their magnitude, and cpu's own sequential float32 sum
 * is then off by 1.6e-4 relative (conv2dTranspose bias: exact −0.7514685,
 * webgpu −0.7514686, cpu −0.7515883), which says nothing about either
 * backend's kernels. With these weights the same bias gradients are checked
 * at the normal tolerance.
 */
const objectiveWeights = (y: tf.Tensor) => tf.reshape(tf.linspace(0.25, 1, y.size), y.shape);

export const as4d = (t: tf.Tensor) => t as tf.Tensor4D;

export const image = () => rand([2, 8, 8, 3]);

const [cos, sin] = [Math.cos(0.3), Math.sin(0.3)];
/** The projective transforms of the augmentation cases (`tf.image.transform` rows). */
export const transforms = {
  rotation: [cos, -sin, 4 - 4 * cos + 4 * sin, sin, cos, 4 - 4 * sin - 4 * cos, 0, 0],
  zoom: [1.2, 0, -0.8, 0, 1.2, -0.8, 0, 0],
  translation: [1, 0, 1.5, 0, 1, -2, 0, 0],
};

/**
 * A layer of @trellis/layers in training: build it for `inputShape` in its
 * own build context and train it (`trainThrough`); the layer's variables are
 * disposed before the outputs are returned.
 */
function layerStep(make: () => Layer, inputShape: number[], input: () => tf.Tensor = () => rand([2, ...inputShape])): LayerTraining {
  return (steps) => () => {
    const layer = make();
    const context = createBuildContext(layer.spec.id.replace('trellis/', ''));
    try {
      return trainThrough(layer, context, inputShape, input(), steps);
    } finally {
      context.dispose();
    }
  };
}

/** A layer case: the layer trained for `steps` steps. */
type LayerTraining = (steps: number) => Computation[1];

/**
 * Builds `layer`, then takes `steps` gradient-descent steps (learning rate
 * 0.1) on its trainable weights in training mode, each call with its own
 * seeds; returns the objective of every step and every weight at the end
 * (non-trainable ones too: batch normalization's moving statistics).
 */
function trainThrough(layer: Layer, context: TestBuildContext, inputShape: number[], x: tf.Tensor, steps: number): tf.Tensor[] {
  layer.build(inputShape, context);
  const trainable = [...context.weights.values()].filter((v) => v.trainable);
  const out: tf.Tensor[] = [];
  for (let step = 0; step < steps; step++) {
    const objective = () => {
      const y = layer.call(x, callContext(true, 7 + 100 * step));
      return tf.sum(tf.mul(y, objectiveWeights(y))) as tf.Scalar;
    };
    if (!trainable.length) {
      out.push(objective());
      continue;
    }
    const {value, grads} = tf.variableGrads(objective, trainable);
    out.push(value);
    for (const v of trainable) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.1)));
    tf.dispose(grads);
  }
  for (const v of context.weights.values()) out.push(tf.clone(v));
  return out;
}

/** Every layer of the shared coverage table, trained through `trainThrough`. */
const layers: [string, LayerTraining][] = coverageLayers(t.layers).map(([name, {make, inputShape, ids}]) => [
  name,
  layerStep(make, inputShape, ids ? coverageIds : undefined),
]);

/** Every layer case trained for `steps` steps (see `trainThrough`). */
export const layerTraining = (steps: number): Computation[] => layers.map(([name, train]) => [name, train(steps)] as const);
