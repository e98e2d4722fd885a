// The kernel-coverage cases of @trellis/testing (every layer of
// @trellis/layers in a training step, every loss, every optimizer, the
// activations, pooling, augmentation and metric computations) on the native
// 'tensorflow' backend: each kernel they run on cpu is registered for
// tensorflow, each case runs there without leaking, and gives the cpu
// backend's numbers within TOLERANCE.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {useBackend} from '@trellis/core';
import {getLoss, layers, lossNames} from '@trellis/layers';
import * as optimizers from '@trellis/optimizers';
import {kernelCoverageCases, kernelsRunBy} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {describeNative} from '../test/native';
import {nodeBackend} from './index';

/**
 * |tensorflow − cpu| ≤ ATOL + RTOL·|cpu|, element by element, in float32 on
 * both sides. The two backends compute the same formulas with different
 * kernels (Eigen's vectorized exp/log/tanh, other summation orders in
 * reductions, matmul and convolutions), so results differ by a few ulps per
 * op, amplified through the backward pass of a layer. Measured here, the
 * largest difference over all cases is 6.9e-6 relative (the 192-term dot
 * products of 'dense (matMul + bias) and flatten'; the last test prints it).
 * The bound sits 15× above that and two to four orders below what the wrong
 * kernels found so far give (1e-2 to 3: a wrong gradient, a wrong padding, an
 * image left empty). The objectives' weights are computed in JavaScript, so
 * both backends see the same bits.
 */
const RTOL = 1e-4;
const ATOL = 1e-4;

const cases = kernelCoverageCases({layers, losses: {getLoss, lossNames}, optimizers});
let worst = {error: 0, name: ''};

/**
 * Cases where the cpu backend (tfjs-backend-cpu 4.22) computes wrong numbers,
 * so it is no reference: tensorflow is checked against exact values instead
 * (the last describe block).
 */
const cpuIsWrong: Record<string, string> = {
  'avgPool2d (same, 3×3, stride 1)': 'cpu AvgPoolGrad with same padding',
  'upSampling2d nearest (resizeNearestNeighbor ×2)': 'cpu ResizeNearestNeighborGrad of a batch > 1',
  'randomRotation (image.transform, bilinear, reflect)': 'cpu Transform of a batch > 1',
  'randomZoom (image.transform, bilinear, constant)': 'cpu Transform of a batch > 1',
  'randomTranslation (image.transform, nearest, wrap / nearest fill)': 'cpu Transform of a batch > 1',
};

async function valuesOn(backend: 'cpu' | 'tensorflow', run: () => tf.Tensor[]): Promise<{values: Float32Array[]; dtypes: string[]}> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const out = run();
    return {values: out.map((t) => Float32Array.from(t.dataSync() as ArrayLike<number>)), dtypes: out.map((t) => t.dtype)};
  });
}

describeNative('kernel coverage on tensorflow (@tensorflow/tfjs-node)', () => {
  beforeAll(async () => {
    await useBackend(nodeBackend({gpu: false}));
    await tf.setBackend('cpu');
  });

  for (const group of [...new Set(cases.map((c) => c.group))]) {
    describe(group, () => {
      for (const {name, run} of cases.filter((c) => c.group === group)) {
        it(`${name}: registered for tensorflow, runs there without leaks, matches cpu`, async () => {
          await tf.setBackend('cpu');
          const kernels = await kernelsRunBy(run);
          expect(
            kernels.filter((k) => tf.getKernel(k, 'tensorflow') == null),
            `${name}: kernels not registered for tensorflow`,
          ).toEqual([]);
          const cpu = await valuesOn('cpu', run);
          await tf.setBackend('tensorflow');
          const before = tf.memory().numTensors;
          const native = await valuesOn('tensorflow', run);
          expect(tf.memory().numTensors).toBe(before);
          expect(native.dtypes).toEqual(cpu.dtypes);
          if (name in cpuIsWrong) return;
          for (const [i, values] of native.values.entries()) {
            const reference = cpu.values[i]!;
            expect(values.length).toBe(reference.length);
            let bad = -1;
            for (let j = 0; j < values.length; j++) {
              const error = Math.abs(values[j]! - reference[j]!);
              const scaled = error / (1 + Math.abs(reference[j]!));
              if (scaled > worst.error) worst = {error: scaled, name: `${name} (output ${i})`};
              if (!(error <= ATOL + RTOL * Math.abs(reference[j]!)) && bad < 0) bad = j;
            }
            expect(bad, `${name}: output ${i}[${bad}] is ${values[bad]} on tensorflow, ${reference[bad]} on cpu`).toBe(-1);
          }
        });
      }
    });
  }

  describe('where the cpu backend is wrong, tensorflow matches exact values', () => {
    /** The gradient of `sum(f(x) · w)` for a linear `f`, exactly: entry j is `f(e_j) · w`, computed on cpu (whose forward passes are right). */
    async function exactLinearGradient(f: (x: tf.Tensor) => tf.Tensor, shape: number[]): Promise<number[]> {
      await tf.setBackend('cpu');
      const size = shape.reduce((a, b) => a * b, 1);
      return Array.from({length: size}, (_, j) =>
        tf.tidy(() => {
          const y = f(tf.cast(tf.reshape(tf.oneHot(tf.tensor1d([j], 'int32'), size), shape), 'float32'));
          return tf.sum(tf.mul(y, weights(y.shape))).dataSync()[0]!;
        }),
      );
    }
    const weights = (shape: number[]) =>
      tf.tensor(
        Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, (_, i) => Math.sin(i)),
        shape,
      );
    async function gradientOn(backend: string, f: (x: tf.Tensor) => tf.Tensor, shape: number[]): Promise<number[]> {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomUniform(shape, -1, 1, 'float32', 11);
        return [
          ...tf
            .grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), weights(f(t).shape))) as tf.Scalar)(x)
            .dataSync(),
        ];
      });
    }
    const maxError = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

    it('AvgPoolGrad with same padding: cpu divides every window by its full size, its forward pass by the cells inside', async () => {
      const f = (x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, 3, 1, 'same');
      const exact = await exactLinearGradient(f, [2, 5, 5, 2]);
      expect(maxError(await gradientOn('tensorflow', f, [2, 5, 5, 2]), exact)).toBeLessThan(1e-5);
      expect(maxError(await gradientOn('cpu', f, [2, 5, 5, 2]), exact)).toBeGreaterThan(0.1);
    });

    it('ResizeNearestNeighborGrad of a batch of 2: cpu gets the second image wrong', async () => {
      const f = (x: tf.Tensor) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 8]);
      const exact = await exactLinearGradient(f, [2, 4, 4, 2]);
      expect(maxError(await gradientOn('tensorflow', f, [2, 4, 4, 2]), exact)).toBeLessThan(1e-5);
      expect(maxError(await gradientOn('cpu', f, [2, 4, 4, 2]), exact)).toBeGreaterThan(0.1);
    });

    it('Transform of a batch of 2: cpu leaves the second image empty; tensorflow equals cpu image by image', async () => {
      for (const [interpolation, fillMode] of [
        ['bilinear', 'reflect'],
        ['bilinear', 'constant'],
        ['nearest', 'wrap'],
        ['nearest', 'nearest'],
      ] as const) {
        const matrix = [Math.cos(0.3), -Math.sin(0.3), 1.5, Math.sin(0.3), Math.cos(0.3), -0.8, 0.01, 0];
        const run = (images: tf.Tensor) =>
          tf.image.transform(
            images as tf.Tensor4D,
            tf.tensor2d(Array(images.shape[0]).fill(matrix), [images.shape[0]!, 8]),
            interpolation,
            fillMode,
            0.5,
          );
        await tf.setBackend('cpu');
        const perImage = tf.tidy(() => {
          const images = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 13);
          return [0, 1].flatMap((b) => [...run(tf.slice(images, [b, 0, 0, 0], [1, -1, -1, -1])).dataSync()]);
        });
        await tf.setBackend('tensorflow');
        const native = tf.tidy(() => [...run(tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 13)).dataSync()]);
        expect(maxError(native, perImage), `${interpolation}, ${fillMode}`).toBeLessThan(1e-5);
      }
    });
  });

  it('reports the largest difference measured', () => {
    console.log(`largest |tensorflow − cpu| / (1 + |cpu|): ${worst.error.toExponential(2)} in ${worst.name}`);
    expect(worst.error).toBeLessThan(RTOL);
  });
});
