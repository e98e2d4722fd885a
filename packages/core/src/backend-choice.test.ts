// useBackend('auto') / chooseBackend: candidates tried in order, the first
// that loads, registers, can train and computes correctly is made active;
// every one before it is reported with the reason it was skipped.
import * as tf from '@tensorflow/tfjs-core';
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BackendError, ConfigError, chooseBackend, useBackend, type BackendCandidate, type BackendPlugin} from './index';

const plugin = (name: string, register: () => Promise<void> = async () => undefined, training = true): BackendPlugin => ({
  specVersion: 1,
  name,
  capabilities: {training, threads: 1, syncReadback: true},
  register,
});

const candidate = (name: string, get: () => Promise<BackendPlugin | string>, detail?: string): BackendCandidate => ({
  name,
  plugin: get,
  ...(detail ? {describe: () => detail} : {}),
});

// Two tfjs backends made for the test: 'liar' computes `add` wrongly, 'lazy' fails to initialize.
beforeAll(async () => {
  tf.registerBackend('liar', () => new MathBackendCPU());
  tf.registerKernel({
    kernelName: tf.Add,
    backendName: 'liar',
    kernelFunc: ({backend}) => {
      const cpu = backend as MathBackendCPU;
      return {dataId: cpu.write(new Float32Array([0, 0]), [2], 'float32'), shape: [2], dtype: 'float32'};
    },
  });
  tf.registerBackend('lazy', () => {
    throw new Error('no device');
  });
  await tf.setBackend('cpu');
});
afterAll(() => {
  tf.unregisterKernel(tf.Add, 'liar');
  tf.removeBackend('liar');
  tf.removeBackend('lazy');
});

describe('chooseBackend', () => {
  it('skips, in order, each candidate that cannot work, with the first sentence of why, and activates the first that does', async () => {
    const printed: string[] = [];
    const missing = Object.assign(new Error("Cannot find package '@trellis/backend-node'. Install it."), {code: 'ERR_MODULE_NOT_FOUND'});
    const choice = await chooseBackend(
      [
        candidate('node-gpu', () => Promise.reject(missing)),
        candidate('webgpu', async () => 'software adapter (llvmpipe)'),
        candidate('weak', async () => plugin('cpu', undefined, false)),
        candidate('broken', async () => plugin('cpu', () => Promise.reject(new Error('addon does not load: bad ELF header. Rebuild it.')))),
        candidate('lazy', async () => plugin('lazy')),
        candidate('liar', async () => plugin('liar')),
        candidate('cpu', async () => plugin('cpu'), 'the reference'),
        candidate('never tried', () => Promise.reject(new Error('must not be called'))),
      ],
      {print: (text) => printed.push(text)},
    );
    expect(choice.chosen).toBe('cpu');
    expect(choice.backend).toBe('cpu');
    expect(choice.detail).toBe('the reference');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.skipped.map(({name, reason}) => [name, reason])).toEqual([
      ['node-gpu', "Cannot find package '@trellis/backend-node'"],
      ['webgpu', 'software adapter (llvmpipe)'],
      ['weak', 'it cannot train (capabilities.training is false)'],
      ['broken', 'The cpu backend could not be registered: addon does not load: bad ELF header'],
      ['lazy', "The tfjs backend 'lazy' failed to initialize"],
      ['liar', "the 'liar' backend computed [1, 2] + 1 as [0, 0]"],
    ]);
    expect(choice.skipped[0]!.error).toBe(missing);
    expect(choice.skipped[1]!.error).toBeUndefined();
    expect(printed).toEqual([choice.text]);
    expect(choice.text.split('\n')).toEqual([
      "Backend: cpu (tfjs 'cpu', the reference)",
      "  skipped node-gpu: Cannot find package '@trellis/backend-node'",
      '  skipped webgpu: software adapter (llvmpipe)',
      '  skipped weak: it cannot train (capabilities.training is false)',
      '  skipped broken: The cpu backend could not be registered: addon does not load: bad ELF header',
      "  skipped lazy: The tfjs backend 'lazy' failed to initialize",
      "  skipped liar: the 'liar' backend computed [1, 2] + 1 as [0, 0]",
    ]);
  });

  it('takes the first candidate when it works, skipping nothing, and prints nothing with print: false', async () => {
    const choice = await chooseBackend([candidate('cpu', async () => plugin('cpu'))], {print: false});
    expect(choice).toEqual({chosen: 'cpu', backend: 'cpu', skipped: [], text: "Backend: cpu (tfjs 'cpu')"});
  });

  it('rejects with every reason when nothing works, and for malformed candidates or options', async () => {
    const none = chooseBackend([candidate('a', async () => 'no GPU'), candidate('b', () => Promise.reject(new Error('gone.')))], {
      print: false,
    });
    await expect(none).rejects.toThrow(BackendError);
    await expect(none).rejects.toThrow('No backend works here. a: no GPU; b: gone.');
    await expect(chooseBackend([], {print: false})).rejects.toThrow(/no candidates/);
    await expect(chooseBackend('cpu' as never)).rejects.toThrow(ConfigError);
    await expect(chooseBackend([{name: 'cpu'} as never])).rejects.toThrow(/Backend candidate 0 must be \{name: string, plugin\(\)/);
    await expect(chooseBackend([], {print: 'yes'} as never)).rejects.toThrow(/expects a function or false/);
    await expect(chooseBackend([], {verbose: 1} as never)).rejects.toThrow(/does not know the option 'verbose'/);
  });
});

describe("useBackend('auto')", () => {
  it('chooses among the candidates given and returns the active backend', async () => {
    const printed: string[] = [];
    const name = await useBackend('auto', {
      candidates: [candidate('webgpu', async () => 'no adapter'), candidate('cpu', async () => plugin('cpu'))],
      print: (text) => printed.push(text),
    });
    expect(name).toBe('cpu');
    expect(printed).toEqual(["Backend: cpu (tfjs 'cpu')\n  skipped webgpu: no adapter"]);
  });

  it('without candidates says where they come from', async () => {
    await expect(useBackend('auto')).rejects.toThrow(BackendError);
    await expect(useBackend('auto')).rejects.toThrow(/Use useBackend from the 'trellis' package/);
    await expect(useBackend('cpu', {nope: true} as never)).rejects.toThrow(ConfigError);
  });
});
