// The shared kernel-coverage cases of @trellis/testing on webgpu, compared
// with cpu: every layer of @trellis/layers in a training step (forward and
// the gradients of its weights and input), convolutions, pooling, reshaping,
// normalization, augmentation, activations, every loss and optimizer, and
// metrics; then every layer trained for three steps. Every kernel a case runs
// on cpu must be registered for webgpu.
//
// Tolerance and how outputs are compared: see ./compare.ts.
import * as tf from '@tensorflow/tfjs-core';
import {getLoss, layers, lossNames} from '@trellis/layers';
import * as optimizers from '@trellis/optimizers';
import {kernelCoverageCases, kernelsRunBy} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {hasTrellisKernels} from '../src/index';
import {as4d, image, layerTraining, transforms} from './cases';
import {expectSameOnWebGpu} from './compare';
import {expectWebGpu, skipWithoutWebGpu} from './webgpu-env';

const {skip, availability} = await skipWithoutWebGpu('kernel coverage on webgpu');

const cases = kernelCoverageCases({layers, losses: {getLoss, lossNames}, optimizers});
const groups = [...new Set(cases.map((c) => c.group))];

/** The shared table's objective `sum(y · linspace(-1, 1))` and its gradient with respect to `x`. */
const valueAndGrad = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
  const {value, grad} = tf.valueAndGrad((t: tf.Tensor) => {
    const y = f(t);
    return tf.sum(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape)));
  })(x);
  return [value, grad];
};

/** `f` applied to each image of the batch on its own, the results stacked again. */
const perImage = (f: (x: tf.Tensor4D) => tf.Tensor) => (x: tf.Tensor) =>
  tf.concat(
    tf.split(x, x.shape[0]!).map((one) => f(as4d(one))),
    0,
  );
const transformPerImage = (m: number[], interpolation: 'bilinear' | 'nearest', fill: 'constant' | 'reflect' | 'wrap' | 'nearest') => () =>
  perImage((one) => tf.image.transform(one, tf.tensor2d([m], [1, 8]), interpolation, fill))(image());

/**
 * Cases where the cpu kernel itself is wrong for a batch of several images,
 * so cpu's reference is computed image by image (the same inputs, drawn from
 * the same seeds): cpu's `Transform` returns after the first image, leaving
 * the others filled with `fillValue`; its `ResizeNearestNeighborGrad` mixes
 * up images when batch > 1.
 */
const cpuReference: Record<string, () => tf.Tensor | tf.Tensor[]> = {
  'upSampling2d nearest (resizeNearestNeighbor ×2)': () =>
    valueAndGrad(
      perImage((one) => tf.image.resizeNearestNeighbor(one, [16, 16])),
      image(),
    ),
  'randomRotation (image.transform, bilinear, reflect)': transformPerImage(transforms.rotation, 'bilinear', 'reflect'),
  'randomZoom (image.transform, bilinear, constant)': transformPerImage(transforms.zoom, 'bilinear', 'constant'),
  'randomTranslation (image.transform, nearest, wrap / nearest fill)': () => [
    transformPerImage(transforms.translation, 'nearest', 'wrap')(),
    transformPerImage(transforms.translation, 'nearest', 'nearest')(),
  ],
};

/**
 * Cases compared at 1e-3 instead of 1e-4, because cpu's float32 result is
 * itself that far from the exact one. With the shared objective's weights
 * `linspace(-1, 1)` a bias gradient is the sum of the weights over every
 * position of a channel: ±terms that cancel to under 1% of their magnitude
 * (conv2dTranspose and separableConv2d, channel 0: 128 terms, exact −0.7514685, webgpu
 * −0.7514686, cpu −0.7515883 from its sequential sum). The same bias
 * gradients are checked at 1e-4 in the layer training cases below, whose
 * objective has positive weights.
 */
const cancellingSums: Record<string, number> = {
  'conv2dTranspose (same, stride 2)': 1e-3,
  'depthwiseConv2d (multiplier 2)': 1e-3,
  'separableConv2d (same)': 1e-3,
};

describe.skipIf(skip)(`kernel coverage on webgpu (${availability.ok ? availability.adapter : 'no adapter'})`, () => {
  it('has a WebGPU adapter and runs with the Trellis webgpu kernels installed', () => {
    expectWebGpu(availability);
    expect(hasTrellisKernels()).toBe(true);
  });

  for (const group of groups) {
    describe(group, () => {
      for (const {name, run} of cases.filter((c) => c.group === group)) {
        it(`${name}: every kernel is registered for webgpu, and the numbers equal cpu's`, async () => {
          expectWebGpu(availability);
          await tf.setBackend('cpu');
          const kernels = await kernelsRunBy(run);
          expect(
            kernels.filter((k) => tf.getKernel(k, 'webgpu') == null),
            `${name}: kernels missing on webgpu`,
          ).toEqual([]);
          const cpuRun = cpuReference[name];
          const relative = group.startsWith('every layer') ? cancellingSums[name] : undefined;
          await expectSameOnWebGpu(name, run, {...(cpuRun ? {cpuRun} : {}), ...(relative ? {relative} : {})});
        });
      }
    });
  }

  describe('every layer of @trellis/layers trained for 3 steps (objectives and final weights)', () => {
    for (const [name, run] of layerTraining(3)) {
      it(`${name}: trains on webgpu as on cpu`, async () => {
        expectWebGpu(availability);
        await expectSameOnWebGpu(name, run);
      });
    }
  });
});
