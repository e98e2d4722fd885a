// 'auto' with the optional backend packages absent, broken and present, through
// backendCandidates' injectable import (stand-in modules; the real packages on
// this machine are in auto-backend-here.test.ts).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, chooseBackend, type BackendPlugin} from '@trellis/core';
import {beforeEach, describe, expect, it} from 'vitest';
import {backendCandidates, type OptionalBackendPackage} from './backend-candidates';
import {ConfigError, backends, createTrellis, useBackend} from './index';

type Modules = Partial<Record<OptionalBackendPackage, unknown>>;

/** An `import` that finds only `modules`; any other package is "not installed", as Node reports it. */
const importing =
  (modules: Modules) =>
  async (name: OptionalBackendPackage): Promise<unknown> => {
    if (name in modules) {
      const module = modules[name];
      if (module instanceof Error) throw module;
      return module;
    }
    throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/node_modules/trellis/dist/index.js`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
  };

/** A stand-in plugin that activates the cpu backend, recording that it was registered. */
function cpuStandIn(registered: string[], label: string, extra: object = {}): BackendPlugin {
  return {
    specVersion: 1,
    name: 'cpu',
    capabilities: {training: true, threads: 1, syncReadback: true},
    async register() {
      registered.push(label);
    },
    ...extra,
  };
}

const failing = (message: string): BackendPlugin => ({
  specVersion: 1,
  name: 'tensorflow',
  capabilities: {training: true, threads: 1, syncReadback: true},
  register: () => Promise.reject(new BackendError(message)),
});

const NOT_INSTALLED_NODE =
  '@trellis/backend-node is not installed (npm install @trellis/backend-node @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu with CUDA))';
const NOT_INSTALLED_WEBGPU =
  '@trellis/backend-webgpu is not installed (npm install @trellis/backend-webgpu @tensorflow/tfjs-backend-webgpu webgpu)';

const lavapipe = {name: 'mesa software llvmpipe: Mesa 25.0.7', software: true};
const gpuAdapter = {name: 'nvidia ampere NVIDIA GeForce RTX 3060', software: false};
const webgpuModule = (adapter: {name: string; software: boolean} | null, plugin: BackendPlugin, problems: string[] = []) => ({
  webgpu: () => plugin,
  diagnose: async () => ({adapter, problems}),
  describeAdapter: () => adapter?.name,
});

beforeEach(() => tf.setBackend('cpu'));

describe('backendCandidates()', () => {
  it('lists node-gpu, webgpu, node, wasm, cpu: fastest first', () => {
    expect(backendCandidates().map((c) => c.name)).toEqual(['node-gpu', 'webgpu', 'node', 'wasm', 'cpu']);
    expect(backends.candidates).toBe(backendCandidates);
  });

  it('refuses unknown options and an import that is not a function', () => {
    expect(() => backendCandidates({load: () => null} as never)).toThrow(ConfigError);
    expect(() => backendCandidates({import: 'yes' as never})).toThrow(/expects a function/);
  });
});

describe("'auto' with the optional packages absent", () => {
  it('skips node-gpu, webgpu and node as not installed (saying what to install) and takes wasm', async () => {
    const choice = await chooseBackend(backendCandidates({import: importing({})}), {print: false});
    expect(choice.chosen).toBe('wasm');
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.skipped.map(({name, reason}) => [name, reason])).toEqual([
      ['node-gpu', NOT_INSTALLED_NODE],
      ['webgpu', NOT_INSTALLED_WEBGPU],
      ['node', NOT_INSTALLED_NODE],
    ]);
  });

  it("useBackend('auto', {candidates}) prints the choice and returns the backend", async () => {
    const printed: string[] = [];
    const name = await useBackend('auto', {candidates: backendCandidates({import: importing({})}), print: (t) => printed.push(t)});
    expect(name).toBe('wasm');
    expect(printed).toHaveLength(1);
    expect(printed[0]!.split('\n')).toEqual([
      "Backend: wasm (tfjs 'wasm')",
      `  skipped node-gpu: ${NOT_INSTALLED_NODE}`,
      `  skipped webgpu: ${NOT_INSTALLED_WEBGPU}`,
      `  skipped node: ${NOT_INSTALLED_NODE}`,
    ]);
  });
});

describe("'auto' with broken packages", () => {
  it('skips a package that fails to load, exports nothing usable, or whose addon fails, with the first sentence of why', async () => {
    const syntax = new SyntaxError("Unexpected token '<'. The file is HTML.");
    const choice = await chooseBackend(
      backendCandidates({
        import: importing({
          '@trellis/backend-node': {
            nodeBackend: ({gpu}: {gpu: boolean}) =>
              failing(
                gpu
                  ? '@tensorflow/tfjs-node-gpu 4.22.0 loads, but TensorFlow found no GPU device to use. Install CUDA 11.2.'
                  : '@tensorflow/tfjs-node 4.22.0 is installed but its native addon does not load: /x/tfjs_binding.node: invalid ELF header. Reinstall it.',
              ),
          },
          '@trellis/backend-webgpu': syntax,
        }),
      }),
      {print: false},
    );
    expect(choice.chosen).toBe('wasm');
    expect(choice.skipped.map(({name, reason}) => [name, reason])).toEqual([
      ['node-gpu', '@tensorflow/tfjs-node-gpu 4.22.0 loads, but TensorFlow found no GPU device to use'],
      ['webgpu', "@trellis/backend-webgpu failed to load: Unexpected token '<'"],
      ['node', '@tensorflow/tfjs-node 4.22.0 is installed but its native addon does not load: /x/tfjs_binding.node: invalid ELF header'],
    ]);
    expect(BackendError.is(choice.skipped[0]!.error)).toBe(true);

    const empty = await chooseBackend(
      backendCandidates({import: importing({'@trellis/backend-node': {}, '@trellis/backend-webgpu': {}})}),
      {
        print: false,
      },
    );
    expect(empty.skipped.map((s) => s.reason)).toEqual([
      '@trellis/backend-node exports no nodeBackend(): reinstall it at the version of trellis',
      '@trellis/backend-webgpu exports no webgpu(): reinstall it at the version of trellis',
      '@trellis/backend-node exports no nodeBackend(): reinstall it at the version of trellis',
    ]);
  });

  it('skips webgpu without an adapter with the first sentence of its diagnosis', async () => {
    const registered: string[] = [];
    const noAdapter = webgpuModule(null, cpuStandIn(registered, 'webgpu'), [
      'WebGPU has no adapter: Dawn found no GPU driver it can use. On Linux install a Vulkan driver.',
    ]);
    const choice = await chooseBackend(backendCandidates({import: importing({'@trellis/backend-webgpu': noAdapter})}), {print: false});
    expect(choice.skipped[1]).toEqual({name: 'webgpu', reason: 'WebGPU has no adapter: Dawn found no GPU driver it can use'});
    expect(registered).toEqual([]);
  });
});

describe("'auto' with the packages present", () => {
  it('takes node-gpu first when TensorFlow sees a GPU, describing the package it loaded', async () => {
    const registered: string[] = [];
    const selection = {package: '@tensorflow/tfjs-node-gpu', version: '4.22.0', tensorflowVersion: '2.9.1', gpuDevice: true};
    const nodeModule = {nodeBackend: ({gpu}: {gpu: boolean}) => cpuStandIn(registered, gpu ? 'node-gpu' : 'node', {selection})};
    const choice = await chooseBackend(
      backendCandidates({
        import: importing({'@trellis/backend-node': nodeModule, '@trellis/backend-webgpu': webgpuModule(gpuAdapter, failing('unused'))}),
      }),
      {print: false},
    );
    expect(choice).toMatchObject({chosen: 'node-gpu', detail: '@tensorflow/tfjs-node-gpu 4.22.0, libtensorflow 2.9.1', skipped: []});
    expect(registered).toEqual(['node-gpu']);
  });

  it('takes webgpu on a hardware adapter before node, and skips a software adapter ("software adapter")', async () => {
    const registered: string[] = [];
    const nodeModule = {
      nodeBackend: ({gpu}: {gpu: boolean}) =>
        gpu
          ? failing('@tensorflow/tfjs-node-gpu is not installed (it is an optional peer dependency). Install it.')
          : cpuStandIn(registered, 'node'),
    };
    const withAdapter = (adapter: typeof gpuAdapter) =>
      chooseBackend(
        backendCandidates({
          import: importing({
            '@trellis/backend-node': nodeModule,
            '@trellis/backend-webgpu': webgpuModule(adapter, cpuStandIn(registered, 'webgpu')),
          }),
        }),
        {print: false},
      );
    const hardware = await withAdapter(gpuAdapter);
    expect(hardware.chosen).toBe('webgpu');
    expect(hardware.detail).toBe(`adapter ${gpuAdapter.name}`);
    expect(registered).toEqual(['webgpu']);

    const software = await withAdapter(lavapipe);
    expect(software.chosen).toBe('node');
    expect(software.skipped.map(({name, reason}) => [name, reason])).toEqual([
      ['node-gpu', '@tensorflow/tfjs-node-gpu is not installed (it is an optional peer dependency)'],
      ['webgpu', `software adapter (${lavapipe.name}; computes on the CPU, slower than wasm)`],
    ]);
    // The software adapter's plugin was never registered.
    expect(registered).toEqual(['webgpu', 'node']);
  });
});

describe("createTrellis({backend: 'auto'})", () => {
  it('refuses print for a backend other than auto, and a backend it does not know', async () => {
    await expect(createTrellis({backend: 'cpu', print: false})).rejects.toThrow(/applies to backend: 'auto' only/);
    await expect(createTrellis({backend: 'gpu' as never})).rejects.toThrow(
      "backend must be 'auto', 'wasm', 'cpu', a backend plugin or false; got 'gpu' (string).",
    );
    expect((await createTrellis({backend: 'cpu'})).choice).toBeNull();
    expect(await createTrellis({backend: false})).toMatchObject({backend: null, choice: null});
  });
});

describe('backends.diagnose() (what `npx trellis doctor` prints)', () => {
  it('without the optional packages: says they are not installed, and the choice', async () => {
    const d = await backends.diagnose({import: importing({})});
    expect(d.choice?.chosen).toBe('wasm');
    expect(d.packages).toEqual([
      {name: '@trellis/backend-node', installed: false, text: '@trellis/backend-node: not installed'},
      {name: '@trellis/backend-webgpu', installed: false, text: '@trellis/backend-webgpu: not installed'},
    ]);
    expect(d.text.split('\n').slice(1)).toEqual([
      '',
      "useBackend('auto') chooses:",
      ...d.choice!.text.split('\n'),
      '',
      '@trellis/backend-node: not installed',
      '',
      '@trellis/backend-webgpu: not installed',
    ]);
  });

  it("prints each installed package's own diagnosis, and why one could not run", async () => {
    const d = await backends.diagnose({
      import: importing({
        '@trellis/backend-node': {diagnose: async () => ({text: 'node report'}), nodeBackend: () => failing('no addon. Rebuild.')},
        '@trellis/backend-webgpu': {diagnose: () => Promise.reject(new Error('Dawn crashed')), webgpu: () => failing('x')},
      }),
    });
    expect(d.packages.map((p) => p.text)).toEqual(['node report', '@trellis/backend-webgpu: diagnose() failed: Dawn crashed']);
    expect(d.choice?.skipped.map((s) => s.reason)).toEqual([
      'no addon',
      "@trellis/backend-webgpu's diagnose() failed: Dawn crashed",
      'no addon',
    ]);
  });
});
