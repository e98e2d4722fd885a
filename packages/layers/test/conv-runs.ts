/**
 * What the tests of the convolution layers share (not exported): seeded
 * weights and inputs, the geometry of a built layer for the float64
 * reference, one forward and backward run, and the comparison with
 * tfjs-layers.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {ShapeError, StateError} from '@trellis/core';
import {expect} from 'vitest';
import {callContext, closeness, uniform, type TestBuildContext} from './testing';
import {convOutputShape, type ConvGeometry} from './testing-conv';

/** Values uniform in [lo, hi) for a tensor of `shape`, from the generator seeded with `seed`. */
export function seededUniform(seed: number, shape: readonly number[], lo: number, hi: number): number[] {
  return uniform(
    randomGenerator(seed),
    shape.reduce((a, b) => a * b, 1),
    lo,
    hi,
  );
}

/** A layer with one `kernel` and an optional `bias`. */
type KernelLayer = Layer & {readonly kernel: tf.Variable | null; readonly bias: tf.Variable | null};

/**
 * `layer` built for `input` (with its batch) in `context`, its kernel drawn
 * in [-1, 1) from `seed`, its bias of `biasSize` in [-0.5, 0.5) from
 * `seed + 1`, and an input `x` in [-2, 2) from `seed + 2`.
 */
export function seededKernelLayer<L extends KernelLayer>(
  layer: L,
  input: readonly number[],
  biasSize: number,
  seed: number,
  context: TestBuildContext,
) {
  const outputShape = layer.build(input.slice(1), context);
  const kernelShape = layer.kernel!.shape;
  const kernel = seededUniform(seed, kernelShape, -1, 1);
  const bias = uniform(randomGenerator(seed + 1), biasSize, -0.5, 0.5);
  layer.kernel!.assign(tf.tensor(kernel, kernelShape));
  layer.bias?.assign(tf.tensor1d(bias));
  const x = seededUniform(seed + 2, input, -2, 2);
  return {layer, outputShape, kernel, bias, x};
}

/** The geometry of a 2-D window layer's convolution of `input` by a kernel of `kernel`'s shape. */
export function windowGeometry(
  input: readonly [number, number, number, number],
  kernel: readonly number[],
  layer: {readonly strides: readonly number[]; readonly padding: 'valid' | 'same'; readonly dilationRate: readonly number[]},
  depthwise = false,
): ConvGeometry {
  return {
    input,
    kernel: kernel as [number, number, number, number],
    strides: layer.strides as [number, number],
    padding: layer.padding,
    dilation: layer.dilationRate as [number, number],
    ...(depthwise ? {depthwise} : {}),
  };
}

/**
 * `layer`'s inference output on `x` (of shape `input`), and the gradients of
 * `sum(dy · output)` (training call) with respect to the input and to
 * `variables`; `dispose` frees them all.
 */
export function outputAndGradients(
  layer: Layer,
  x: number[],
  input: readonly number[],
  dyValues: number[],
  yShape: readonly number[],
  variables: tf.Variable[],
) {
  const xt = tf.tensor(x, [...input]);
  const dy = tf.tensor(dyValues, [...yShape]);
  const objective = (t: tf.Tensor) => tf.sum(tf.mul(dy, layer.call(t, callContext(true)))) as tf.Scalar;
  const y = layer.call(xt, callContext(false));
  const dx = tf.grad(objective)(xt);
  const {grads} = tf.variableGrads(() => objective(xt), variables);
  return {y, dx, grads, dispose: () => tf.dispose([xt, dy, y, dx, ...Object.values(grads)])};
}

/** Expects `layer` and the tfjs-layers `oracle` holding the same weights to give the same output on `x`; disposes the oracle. */
export function expectSameOutputAsOracle(
  layer: Layer,
  oracle: {apply(x: tf.Tensor): unknown; dispose(): unknown},
  x: number[],
  input: readonly number[],
) {
  const xt = tf.tensor(x, [...input]);
  const y = layer.call(xt, callContext(false));
  const yo = oracle.apply(xt) as tf.Tensor;
  expect(y.shape).toEqual(yo.shape);
  expect(closeness(y.dataSync(), yo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
  tf.dispose([xt, y, yo]);
  oracle.dispose();
}

/**
 * Checks that `layer` (not built yet) refuses a call on `[1, 4, 4, 2]` with a
 * StateError and, once built for 3 channels in `context`, with a ShapeError.
 */
export function expectCallRefusedUntilBuilt(layer: Layer, context: TestBuildContext): void {
  const x = tf.zeros([1, 4, 4, 2]);
  expect(() => layer.call(x, callContext(false))).toThrow(StateError);
  layer.build([4, 4, 3], context);
  expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
  x.dispose();
}

/**
 * One forward and backward run of a built 2-D window layer (`conv2d`, or
 * `depthwiseConv2d` when `depthwise`) on `x` of shape `input`: checks that
 * the `outputShape` its build gave matches the geometry, draws the cotangent
 * `dyValues` in [-1, 1) from `seed`, and gives the output and gradients of
 * {@link outputAndGradients} (of the kernel, and of the bias if any) with the
 * geometry for the float64 reference; `dispose` frees the tensors.
 */
export function windowRun(
  layer: KernelLayer & Parameters<typeof windowGeometry>[2],
  {x, input, outputShape}: {readonly x: number[]; readonly input: readonly [number, number, number, number]; readonly outputShape: unknown},
  seed: number,
  depthwise = false,
) {
  const geometry = windowGeometry(input, layer.kernel!.shape, layer, depthwise);
  const yShape = convOutputShape(geometry);
  expect(outputShape).toEqual(yShape.slice(1));
  const dyValues = seededUniform(seed, yShape, -1, 1);
  const variables = layer.bias ? [layer.kernel!, layer.bias] : [layer.kernel!];
  return {geometry, yShape, dyValues, ...outputAndGradients(layer, x, input, dyValues, yShape, variables)};
}

/** The sums of `values` over each of `channels` interleaved channels (value `j` is in channel `j % channels`): a bias gradient. */
export function channelSums(values: readonly number[], channels: number): number[] {
  return Array.from({length: channels}, (_, f) => values.filter((_, j) => j % channels === f).reduce((a, b) => a + b, 0));
}
