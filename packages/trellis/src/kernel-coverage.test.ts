// Kernel coverage: every layer of @trellis/layers in a training step (forward,
// and the gradients of its weights and input), every loss and optimizer, and
// the computations of activations, pooling and metrics written with tfjs-core
// ops (the cases of @trellis/testing), record the kernels they run on the cpu
// backend; each of those kernels must be registered for 'wasm' (with the
// Trellis wasm plugin installed) and for 'cpu'. The computation must then also
// run on wasm. (@trellis/backend-node runs the same cases on 'tensorflow'.)
import * as tf from '@tensorflow/tfjs-core';
import {hasTrellisKernels, wasm} from '@trellis/backend-wasm';
import {getLoss, layers, lossNames} from '@trellis/layers';
import * as optimizers from '@trellis/optimizers';
import {kernelCoverageCases, kernelsRunBy} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {createTrellis} from './create-trellis';

beforeAll(async () => {
  await createTrellis({backend: 'cpu'});
  await wasm().register();
});

/** The kernels of `names` that `backend` has no registration for. */
function unregistered(names: readonly string[], backend: 'wasm' | 'cpu'): string[] {
  return names.filter((name) => tf.getKernel(name, backend) == null);
}

const cases = kernelCoverageCases({layers, losses: {getLoss, lossNames}, optimizers});
const groups = [...new Set(cases.map((c) => c.group))];

it('runs with the Trellis wasm kernels installed', () => {
  expect(hasTrellisKernels()).toBe(true);
});

for (const group of groups) {
  describe(`kernel coverage: ${group}`, () => {
    for (const {name, run} of cases.filter((c) => c.group === group)) {
      it(`${name}: every kernel it runs is registered for wasm and cpu, and it runs on wasm`, async () => {
        await tf.setBackend('cpu');
        const kernels = await kernelsRunBy(run);
        expect(kernels.length, `${name} ran no kernel at all`).toBeGreaterThan(0);
        const missing = {computation: name, wasm: unregistered(kernels, 'wasm'), cpu: unregistered(kernels, 'cpu')};
        expect(missing, `${name} runs kernels with no registration: ${JSON.stringify(missing)}`).toEqual({
          computation: name,
          wasm: [],
          cpu: [],
        });
        await tf.setBackend('wasm');
        try {
          const before = tf.memory().numTensors;
          tf.tidy(() => {
            for (const t of run()) t.dataSync();
          });
          expect(tf.memory().numTensors).toBe(before);
        } finally {
          await tf.setBackend('cpu');
        }
      });
    }
  });
}

it('records the kernels inside ops with a custom gradient (logSoftmax)', async () => {
  await tf.setBackend('cpu');
  const kernels = await kernelsRunBy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.logSoftmax(x)))(tf.ones([2, 3])));
  expect(kernels).toEqual(expect.arrayContaining(['Exp', 'Log', 'Max', 'Sub', 'Sum']));
});
