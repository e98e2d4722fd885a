// What register() does with each way an install can be wrong, simulated: the
// package lookup, the child-process probe, the CUDA search and the packages
// themselves are mocked, so no native code is loaded here.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, ConfigError, useBackend} from '@trellis/core';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeEach, describe, expect, it, vi} from 'vitest';
import type {CudaReport} from './cuda';
import type {AddonProbe} from './probe';

type Installed = {version: string; dir: string};

const state = vi.hoisted(() => ({
  packages: {} as Record<string, Installed | undefined>,
  probe: {loads: true, gpuDevice: true, devices: [], log: []} as AddonProbe,
  cuda: {libraries: [], searched: [], linkerCache: true} as CudaReport,
  /** What importing the package does: throw this message, or load and report this tfjs-core version. */
  importError: {} as Record<string, string | undefined>,
  versionCore: undefined as string | undefined,
  imported: [] as string[],
}));

vi.mock('./locate', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./locate')>();
  return {
    ...actual,
    findPackage: async (name: string) => {
      const found = state.packages[name];
      return found ? {name, ...found} : undefined;
    },
  };
});
vi.mock('./probe', () => ({probeAddon: async () => state.probe}));
vi.mock('./cuda', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./cuda')>()),
  findCudaLibraries: async () => state.cuda,
}));

/** A stand-in for tfjs-node's import: registers a 'tensorflow' backend and activates it, as the real one does. */
async function fakeImport(name: string, gpu: boolean) {
  state.imported.push(name);
  const error = state.importError[name];
  if (error) throw new Error(error);
  const core = await import('@tensorflow/tfjs-core');
  if (core.findBackendFactory('tensorflow') != null) core.removeBackend('tensorflow');
  core.registerBackend(
    'tensorflow',
    () => ({binding: {TF_Version: '2.21.0'}, isUsingGpuDevice: gpu, dispose() {}}) as unknown as tf.KernelBackend,
    3,
  );
  await core.setBackend('tensorflow');
  return {version_core: state.versionCore ?? core.version_core};
}
vi.mock('./import-package', () => ({importNodePackage: (name: string) => fakeImport(name, name.endsWith('-gpu'))}));

const CPU = '@tensorflow/tfjs-node';
const GPU = '@tensorflow/tfjs-node-gpu';
const here = {version: tf.version_core, dir: '/app/node_modules/pkg'};

/** A fresh copy of the plugin (its per-process state reset) and of the mocked packages. */
async function fresh() {
  vi.resetModules();
  return import('./index');
}

async function registerError(gpu: 'auto' | boolean): Promise<Error> {
  const {nodeBackend} = await fresh();
  const error = await nodeBackend({gpu})
    .register()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(BackendError.is(error), `register() should reject with a BackendError; got ${String(error)}`).toBe(true);
  return error as Error;
}

beforeEach(async () => {
  state.packages = {};
  state.probe = {
    loads: true,
    gpuDevice: true,
    devices: ['/job:localhost/replica:0/task:0/device:GPU:0 (Tesla T4, 14626 MB)', 'CPU'],
    log: [],
  };
  state.cuda = {
    libraries: [
      {name: 'libcuda.so.1', found: ['/usr/lib/x86_64-linux-gnu/libcuda.so.1'], otherVersions: []},
      {name: 'libcudart.so.11.0', found: [], otherVersions: ['/usr/local/cuda/lib64/libcudart.so.12']},
      {name: 'libcudnn.so.8', found: [], otherVersions: []},
    ],
    searched: ['/usr/local/cuda/lib64'],
    linkerCache: true,
  };
  state.importError = {};
  state.versionCore = undefined;
  state.imported = [];
  await tf.setBackend('cpu');
});

describe('nodeBackend() options', () => {
  it('refuses a gpu that is not auto, true or false, and unknown options', async () => {
    const {nodeBackend} = await fresh();
    expect(() => nodeBackend({gpu: 'yes' as never})).toThrow(/nodeBackend\(\{gpu\}\) expects 'auto', true or false; got/);
    const error = (() => {
      try {
        nodeBackend('gpu' as never);
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigError.is(error)).toBe(true);
    await expectUnknownOptionRefused(() => nodeBackend({[misspell('gpu')]: true} as never), 'nodeBackend', 'gpu');
  });
});

describe('missing packages', () => {
  it('gpu: false without @tensorflow/tfjs-node says what to install', async () => {
    const error = await registerError(false);
    expect(error.message).toMatch(
      /@tensorflow\/tfjs-node is not installed \(it is an optional peer dependency of @trellis\/backend-node\)/,
    );
    expect(error.message).toContain(`npm install @tensorflow/tfjs-node@${tf.version_core}`);
    expect(state.imported).toEqual([]);
  });

  it("gpu: 'auto' with neither package names both", async () => {
    const error = await registerError('auto');
    expect(error.message).toMatch(/^Neither @tensorflow\/tfjs-node-gpu nor @tensorflow\/tfjs-node is installed/);
    expect(error.message).toContain(`npm install @tensorflow/tfjs-node@${tf.version_core} (CPU)`);
  });

  it('gpu: true without @tensorflow/tfjs-node-gpu says what to install, and the CPU alternative', async () => {
    state.packages[CPU] = here;
    const error = await registerError(true);
    expect(error.message).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(error.message).toContain(`npm install @tensorflow/tfjs-node-gpu@${tf.version_core}`);
    expect(error.message).toContain('nodeBackend({gpu: false})');
  });

  it('useBackend(nodeBackend()) rejects with that BackendError and keeps the active backend', async () => {
    const {nodeBackend} = await fresh();
    const error = await useBackend(nodeBackend()).catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Neither/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('a failed register() is retried: installing the package afterwards is enough', async () => {
    const {nodeBackend} = await fresh();
    const plugin = nodeBackend({gpu: false});
    await expect(plugin.register()).rejects.toThrow(/not installed/);
    state.packages[CPU] = here;
    await plugin.register();
    expect(plugin.selection?.package).toBe(CPU);
  });
});

describe('versions', () => {
  it('a tfjs-node of another version than tfjs-core is refused before it is loaded', async () => {
    state.packages[CPU] = {version: '4.21.0', dir: '/app/node_modules/@tensorflow/tfjs-node'};
    const error = await registerError(false);
    expect(error.message).toMatch(
      new RegExp(`@tensorflow/tfjs-node 4\\.21\\.0 does not match @tensorflow/tfjs-core ${tf.version_core.replace(/\./g, '\\.')}`),
    );
    expect(error.message).toContain('two copies of tfjs-core in one process');
    expect(error.message).toContain(`npm install @tensorflow/tfjs-node@${tf.version_core}`);
    expect(state.imported).toEqual([]);
  });

  it('a package that loads a second tfjs-core of another version is refused after the import', async () => {
    state.packages[CPU] = here;
    state.versionCore = '4.21.0';
    const error = await registerError(false);
    expect(error.message).toMatch(/runs on @tensorflow\/tfjs-core 4\.21\.0, but this app's @tensorflow\/tfjs-core is .*second copy/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it("gpu: 'auto' passes over a GPU package of another version, saying why", async () => {
    state.packages[GPU] = {version: '4.20.0', dir: '/gpu'};
    state.packages[CPU] = here;
    const {nodeBackend} = await fresh();
    const plugin = nodeBackend();
    await plugin.register();
    expect(plugin.selection?.package).toBe(CPU);
    expect(plugin.selection?.skipped[0]).toMatch(/^@tensorflow\/tfjs-node-gpu: @tensorflow\/tfjs-node-gpu 4\.20\.0 does not match/);
  });
});

describe('native addons that do not load', () => {
  it('an addon that was never built (install script skipped) says how to build it', async () => {
    state.packages[CPU] = here;
    state.importError[CPU] =
      'The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \n' +
      "Please run command 'npm rebuild @tensorflow/tfjs-node --build-addon-from-source' to rebuild the native addon module.";
    const error = await registerError(false);
    expect(error.message).toMatch(/its native addon was never built: its install script did not run/);
    expect(error.message).toContain('pnpm approve-builds');
    expect(error.message).toContain('npm rebuild @tensorflow/tfjs-node');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('a libtensorflow that does not load is reported with the loader error', async () => {
    state.packages[CPU] = here;
    state.importError[CPU] = 'libtensorflow.so.2: cannot open shared object file: No such file or directory';
    const error = await registerError(false);
    expect(error.message).toMatch(/native addon does not load: libtensorflow\.so\.2: cannot open shared object file/);
  });
});

describe('the GPU package', () => {
  it('gpu: true without CUDA: which libraries are missing, which other versions exist, what to do', async () => {
    state.packages[GPU] = here;
    state.probe = {
      loads: false,
      error: 'libcudart.so.11.0: cannot open shared object file: No such file or directory',
      gpuDevice: false,
      devices: [],
      log: [],
    };
    const error = await registerError(true);
    expect(error.message).toMatch(/@tensorflow\/tfjs-node-gpu .* does not load: libcudart\.so\.11\.0: cannot open shared object file/);
    expect(error.message).toContain('needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1');
    expect(error.message).toContain(
      'Not found: libcudart.so.11.0, libcudnn.so.8 (other versions present: /usr/local/cuda/lib64/libcudart.so.12)',
    );
    expect(error.message).toContain('nodeBackend({gpu: false})');
    // The addon was only tried in the child process.
    expect(state.imported).toEqual([]);
  });

  it('gpu: true when TensorFlow sees no GPU device', async () => {
    state.packages[GPU] = here;
    state.probe = {loads: true, tensorflowVersion: '2.9.1', gpuDevice: false, devices: ['CPU'], log: []};
    state.cuda = {
      libraries: state.cuda.libraries.map((l) => ({...l, found: [`/usr/local/cuda/lib64/${l.name}`]})),
      searched: [],
      linkerCache: true,
    };
    const error = await registerError(true);
    expect(error.message).toMatch(/loads, but TensorFlow found no GPU device to use/);
    expect(error.message).toContain('check the NVIDIA driver (nvidia-smi)');
  });

  it("gpu: 'auto' falls back to @tensorflow/tfjs-node when the GPU package does not load, and says why", async () => {
    state.packages[GPU] = here;
    state.packages[CPU] = here;
    state.probe = {loads: false, error: 'libcudart.so.11.0: cannot open shared object file', gpuDevice: false, devices: [], log: []};
    const {nodeBackend} = await fresh();
    const plugin = nodeBackend();
    await plugin.register();
    expect(state.imported).toEqual([CPU]);
    expect(plugin.selection).toMatchObject({package: CPU, gpuDevice: false});
    expect(plugin.selection?.skipped).toEqual([
      expect.stringMatching(/^@tensorflow\/tfjs-node-gpu: .*does not load: libcudart\.so\.11\.0/),
    ]);
    // tfjs-node's import activated 'tensorflow'; register() put 'cpu' back.
    expect(tf.getBackend()).toBe('cpu');
  });

  it("gpu: 'auto' (and true) loads the GPU package when it loads with a GPU device", async () => {
    state.packages[GPU] = here;
    state.packages[CPU] = here;
    const {nodeBackend} = await fresh();
    const plugin = nodeBackend();
    await plugin.register();
    expect(state.imported).toEqual([GPU]);
    expect(plugin.selection).toEqual({package: GPU, version: tf.version_core, tensorflowVersion: '2.21.0', gpuDevice: true, skipped: []});
    // One package per process: true and 'auto' reuse it, false is refused.
    await nodeBackend({gpu: true}).register();
    await expect(nodeBackend({gpu: false}).register()).rejects.toThrow(
      /already loaded @tensorflow\/tfjs-node-gpu, and only one of the two can be loaded per process/,
    );
    expect(state.imported).toEqual([GPU]);
  });
});
