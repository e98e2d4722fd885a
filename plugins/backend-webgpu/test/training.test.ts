// Training on webgpu compared with cpu: every loss and every optimizer for a
// few steps, and products, convolutions and reductions at sizes that take
// the backend's other code paths. Tolerance: see ./compare.ts.
import {describe, it} from 'vitest';
import {expectSameOnWebGpu} from './compare';
import {larger, losses, optimizers} from './training-cases';
import {expectWebGpu, skipWithoutWebGpu} from './webgpu-env';

const {skip, availability} = await skipWithoutWebGpu('training on webgpu');

describe.skipIf(skip)('training on webgpu equals cpu', () => {
  for (const [group, cases] of [
    ['every loss of @trellis/layers, 3 steps', losses],
    ['every optimizer of @trellis/optimizers, 3 steps', optimizers],
  ] as const) {
    describe(group, () => {
      for (const [name, run] of cases) {
        it(name, async () => {
          expectWebGpu(availability);
          await expectSameOnWebGpu(name, run);
        });
      }
    });
  }

  describe('larger shapes', () => {
    for (const [name, run, cpuRun] of larger) {
      it(name, async () => {
        expectWebGpu(availability);
        await expectSameOnWebGpu(name, run, cpuRun ? {cpuRun} : {});
      });
    }
  });
});
