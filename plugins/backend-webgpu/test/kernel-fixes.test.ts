// Trellis' webgpu kernels against the stock ones they replace: each fix is
// shown by a case the stock kernel gets wrong (compared with cpu) and the
// Trellis kernel gets right; installing, restoring and reinstalling them.
import * as tf from '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';
import {afterAll, describe, expect, it, vi} from 'vitest';
import {hasTrellisKernels, restoreStockKernels, trellisKernelNames, webgpu} from '../src/index';
import {compare, runOn} from './compare';
import {expectWebGpu, skipWithoutWebGpu} from './webgpu-env';

const {skip, availability} = await skipWithoutWebGpu("Trellis' webgpu kernel fixes");

const image = () => tf.randomUniform([3, 6, 7, 2], -1, 1, 'float32', 11) as tf.Tensor4D;
/** Translation by 1.5 pixels: every other sampling point falls halfway between two pixels. */
const halfPixelShift = () => tf.image.transform(image(), tf.tensor2d([[1, 0, 1.5, 0, 1, 0.5, 0, 0]]), 'nearest', 'constant');
/** The same, for each image alone (cpu's Transform handles only the first image of a batch). */
const halfPixelShiftPerImage = () =>
  tf.concat(
    tf
      .split(image(), 3)
      .map((one) => tf.image.transform(one as tf.Tensor4D, tf.tensor2d([[1, 0, 1.5, 0, 1, 0.5, 0, 0]]), 'nearest', 'constant')),
    0,
  );
/** One matrix for the whole batch, on whole-pixel coordinates (no rounding involved). */
const sharedMatrix = () => tf.image.transform(image(), tf.tensor2d([[1, 0, 2, 0, 1, -1, 0, 0]]), 'bilinear', 'reflect');
const sharedMatrixPerImage = () =>
  tf.concat(
    tf
      .split(image(), 3)
      .map((one) => tf.image.transform(one as tf.Tensor4D, tf.tensor2d([[1, 0, 2, 0, 1, -1, 0, 0]]), 'bilinear', 'reflect')),
    0,
  );

async function agrees(run: () => tf.Tensor, cpuRun: () => tf.Tensor): Promise<boolean> {
  const cpu = await runOn('cpu', cpuRun);
  const gpu = await runOn('webgpu', run);
  await tf.setBackend('cpu');
  return compare(gpu, cpu).ok;
}

describe.skipIf(skip)("Trellis' webgpu kernels", () => {
  afterAll(async () => {
    await webgpu().register();
  });

  it('are installed by register(), once, without "already registered" warnings', async () => {
    expectWebGpu(availability);
    expect(trellisKernelNames).toEqual(['Transform']);
    expect(hasTrellisKernels()).toBe(true);
    const warn = vi.spyOn(console, 'warn');
    await webgpu().register();
    await webgpu().register();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(hasTrellisKernels()).toBe(true);
  });

  it("Transform: the stock kernel rounds half-pixel coordinates to even and reads past a shared matrix; Trellis' does neither", async () => {
    expectWebGpu(availability);
    expect(restoreStockKernels()).toBe(true);
    expect(hasTrellisKernels()).toBe(false);
    expect(await agrees(halfPixelShift, halfPixelShiftPerImage)).toBe(false);
    expect(await agrees(sharedMatrix, sharedMatrixPerImage)).toBe(false);
    expect(restoreStockKernels()).toBe(false);

    await webgpu().register();
    expect(hasTrellisKernels()).toBe(true);
    expect(await agrees(halfPixelShift, halfPixelShiftPerImage)).toBe(true);
    expect(await agrees(sharedMatrix, sharedMatrixPerImage)).toBe(true);
  });

  it("int32 transpose of rank 3 (as in a reduction over an inner axis): the stock shader fails to compile and gives zeros; Trellis' is exact", async () => {
    expectWebGpu(availability);
    // Computed on the GPU first, so that the transpose runs as a shader, not on the CPU copy.
    const ids = () => tf.add(tf.tensor3d([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], [2, 3, 2], 'int32'), tf.scalar(0, 'int32'));
    const counts = () => tf.sum(tf.oneHot(tf.tensor2d([0, 2, 1, 2, 0, 0], [2, 3], 'int32'), 4), 1);
    const cases = [() => tf.transpose(ids(), [0, 2, 1]), () => tf.transpose(ids(), [2, 0, 1]), counts];
    restoreStockKernels();
    const silenced = vi.spyOn(console, 'error').mockImplementation(() => {});
    const stock: boolean[] = [];
    for (const run of cases) stock.push(await agrees(run, run));
    silenced.mockRestore();
    expect(stock).toContain(false);
    await webgpu().register();
    for (const run of cases) expect(await agrees(run, run)).toBe(true);
  });

  it("cumsum of a new length after another: the stock pipeline cache reuses the first length's shader; Trellis' keys it by length", async () => {
    expectWebGpu(availability);
    const reverse = (n: number) => () => tf.cumsum(tf.add(tf.range(1, n + 1), tf.scalar(0)), 0, false, true);
    restoreStockKernels();
    expect(await agrees(reverse(5), reverse(5))).toBe(true);
    expect(await agrees(reverse(12), reverse(12))).toBe(false);
    await webgpu().register();
    expect(await agrees(reverse(7), reverse(7))).toBe(true);
    expect(await agrees(reverse(12), reverse(12))).toBe(true);
    expect(await agrees(reverse(5), reverse(5))).toBe(true);
  });

  it('webgpu({trellisKernels: false}) leaves the stock kernels in place', async () => {
    expectWebGpu(availability);
    restoreStockKernels();
    await webgpu({trellisKernels: false}).register();
    expect(hasTrellisKernels()).toBe(false);
    await webgpu().register();
    expect(hasTrellisKernels()).toBe(true);
  });

  it('a synchronous read of GPU data in Node is a BackendError that says to read asynchronously', async () => {
    expectWebGpu(availability);
    await tf.setBackend('webgpu');
    try {
      const computed = tf.square(tf.tensor1d([1, 2, 3]));
      const error = (() => {
        try {
          computed.dataSync();
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(BackendError.is(error)).toBe(true);
      expect((error as Error).message).toMatch(/await tensor\.data\(\)/);
      expect(Array.from(await computed.data())).toEqual([1, 4, 9]);
      // Data not yet on the GPU still reads synchronously.
      const fresh = tf.tensor1d([5, 6]);
      expect(Array.from(fresh.dataSync())).toEqual([5, 6]);
      tf.dispose([computed, fresh]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
