// Shared by the tests of this package.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll} from 'vitest';
import {createTrellis} from '../src/index';

/** Sets Trellis up on the cpu backend (`createTrellis({backend: 'cpu'})`) before the tests of the calling file. */
export function onCpu(): void {
  beforeAll(async () => {
    await createTrellis({backend: 'cpu'});
  });
}

/**
 * Sets Trellis up on the cpu backend before the tests of the calling file,
 * then makes their data with `make`. The returned object is empty until the
 * tests begin, then holds the tensors `make` returned; they are disposed
 * after the tests.
 */
export function onCpuWith<T extends Record<string, tf.Tensor>>(make: () => T): T {
  const data = {} as T;
  beforeAll(async () => {
    await createTrellis({backend: 'cpu'});
    Object.assign(data, make());
  });
  afterAll(() => tf.dispose(Object.values(data)));
  return data;
}
