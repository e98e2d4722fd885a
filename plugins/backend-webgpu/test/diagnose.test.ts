// diagnose() on this machine's real WebGPU (Dawn in Node; under `pnpm
// test:webgpu`, Mesa's lavapipe): it finds the adapter register() uses and
// calls lavapipe a software adapter.
import {describe, expect, it} from 'vitest';
import {describeAdapter, diagnose} from '../src/index';
import {expectWebGpu, skipWithoutWebGpu} from './webgpu-env';

const {skip, availability} = await skipWithoutWebGpu('diagnose() on the real adapter');

describe.skipIf(skip)('diagnose() with Dawn', () => {
  it('reports the adapter register() found, Dawn as the source, and lavapipe as software', async () => {
    expectWebGpu(availability);
    const d = await diagnose();
    expect(d.source).toBe('dawn');
    expect(d.usable).toBe(true);
    expect(d.problems).toEqual([]);
    expect(d.adapter?.name).toBe(describeAdapter());
    const lavapipe = /llvmpipe/.test(d.adapter!.description);
    expect(d.adapter!.software).toBe(lavapipe || d.adapter!.architecture === 'software');
    expect(d.text).toContain("navigator.gpu: Dawn's (the 'webgpu' package)");
  });
});
