// Metrics that check their inputs with a readback, on webgpu (which reads only
// asynchronously): `confusionMatrix` checks class ids without a synchronous
// read, and `computeMetricAsync` reports a failed check.
import * as tf from '@tensorflow/tfjs-core';
import {DataError} from '@trellis/core';
import {computeMetricAsync, confusionMatrix} from '@trellis/metrics';
import {describe, expect, it} from 'vitest';
import {webgpu} from '../src/index';
import {expectWebGpu, skipWithoutWebGpu} from './webgpu-env';

const {skip, availability} = await skipWithoutWebGpu('the metric readback tests');

const scores = () =>
  tf.tensor2d([
    [0.8, 0.1, 0.1],
    [0.2, 0.7, 0.1],
    [0.1, 0.1, 0.8],
    [0.6, 0.3, 0.1],
  ]);

describe.skipIf(skip)('confusionMatrix on webgpu', () => {
  it('counts class ids, and refuses an id out of range with a DataError, without a synchronous read', async () => {
    expectWebGpu(availability);
    await webgpu().register();
    await tf.setBackend('webgpu');
    try {
      const metric = confusionMatrix({numClasses: 3});
      const ids = tf.add(tf.tensor1d([0, 1, 2, 1], 'int32'), tf.scalar(0, 'int32')); // on the GPU
      expect(await computeMetricAsync(metric, ids, scores())).toEqual([
        [1, 0, 0],
        [1, 1, 0],
        [0, 0, 1],
      ]);
      const outOfRange = tf.add(tf.tensor1d([0, 5, 2, 1], 'int32'), tf.scalar(0, 'int32'));
      const error = await computeMetricAsync(metric, outOfRange, scores()).catch((e: unknown) => e);
      expect(DataError.is(error)).toBe(true);
      expect((error as Error).message).toMatch(/class id 5, outside \[0, 3\)/);
      // The failure is reported once; the metric works again afterwards.
      expect(await computeMetricAsync(metric, ids, scores())).toEqual([
        [1, 0, 0],
        [1, 1, 0],
        [0, 0, 1],
      ]);
      tf.dispose([ids, outOfRange]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
