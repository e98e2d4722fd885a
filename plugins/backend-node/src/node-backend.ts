/**
 * `nodeBackend()`: the native TensorFlow backend of tfjs-node / tfjs-node-gpu.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  BackendError,
  ConfigError,
  checkOptions,
  describe,
  ensureGradients,
  type BackendCapabilities,
  type BackendPlugin,
} from '@trellis/core';
import {findCudaLibraries} from './cuda';
import {importNodePackage} from './import-package';
import {installNodeKernels} from './kernels';
import {keepMovedViews} from './moved-views';
import {CPU_PACKAGE, GPU_PACKAGE, findPackage, type InstalledPackage, type NodePackageName} from './locate';
import {addonFails, neitherInstalled, noGpuDevice, notInstalled, secondTfjsCore, versionMismatch} from './messages';
import {probeAddon} from './probe';

/** Options of {@link nodeBackend}. */
export type NodeBackendOptions = {
  /**
   * `'auto'` (default): `@tensorflow/tfjs-node-gpu` when it is installed, its
   * addon loads (CUDA included) and TensorFlow sees a GPU, otherwise
   * `@tensorflow/tfjs-node`. `true`: the GPU package or a `BackendError`.
   * `false`: the CPU package only.
   */
  readonly gpu?: 'auto' | boolean;
};

/** What `register()` loaded, and why the other package was not used. */
export type NodeBackendSelection = {
  /** The package that provides the `tensorflow` backend in this process. */
  readonly package: NodePackageName;
  readonly version: string;
  /** The libtensorflow version its addon reports. */
  readonly tensorflowVersion: string;
  /** TensorFlow places ops on a GPU. */
  readonly gpuDevice: boolean;
  /** Each package passed over, with the reason (`@tensorflow/tfjs-node-gpu: not installed`). */
  readonly skipped: readonly string[];
};

/** The plugin {@link nodeBackend} returns: a backend plugin that also says what it loaded. */
export interface NodeBackendPlugin extends BackendPlugin {
  readonly name: 'tensorflow';
  /** The `gpu` option, default applied. */
  readonly gpu: 'auto' | boolean;
  /** After a successful `register()`: the package in use and the reasons for the choice; before, `undefined`. */
  readonly selection: NodeBackendSelection | undefined;
}

/** What this process loaded (a process can load only one of the two packages), or is loading. */
let loaded: Promise<NodeBackendSelection> | undefined;

/** Native TensorFlow uses every core through its own thread pools. */
function cores(): number {
  const os = globalThis.process?.getBuiltinModule?.('node:os');
  return os?.availableParallelism?.() ?? 1;
}

/**
 * The native TensorFlow backend: `@tensorflow/tfjs-node` (CPU, libtensorflow)
 * or `@tensorflow/tfjs-node-gpu` (CUDA), both registering the tfjs backend
 * named `'tensorflow'`. Both are optional peer dependencies: `register()`
 * imports the chosen one with a dynamic `import()`, so importing this package
 * loads no native code.
 *
 * `register()` checks before it loads anything that the package is installed
 * and has the version of the app's `@tensorflow/tfjs-core` (a different one
 * would bring a second tfjs-core); for the GPU package it first loads the addon
 * in a child process (a missing CUDA library cannot crash the caller). The
 * package's import makes `tensorflow` the active backend; `register()` puts
 * back the backend that was active before (none, or the user's), so that, as
 * for every backend plugin, only `useBackend` switches.
 *
 * @param options - see {@link NodeBackendOptions}.
 * @returns a backend plugin; `register()` is safe to call more than once.
 * @throws {ConfigError} for an unknown option or a `gpu` that is not `'auto'`, `true` or `false`.
 * @throws {BackendError} from `register()`: a package not installed, of another
 *   version than `@tensorflow/tfjs-core`, an addon that was not built or does not
 *   load, the GPU package without CUDA or a GPU (with `gpu: true`), or the other
 *   package already loaded in this process. Each message says what to install or run.
 */
export function nodeBackend(options?: NodeBackendOptions): NodeBackendPlugin {
  const gpu = checkNodeOptions(options);
  let selection: NodeBackendSelection | undefined;
  const capabilities: BackendCapabilities = Object.freeze({training: true, threads: cores(), syncReadback: true});
  return {
    specVersion: 1,
    name: 'tensorflow',
    capabilities,
    gpu,
    get selection() {
      return selection;
    },
    async register() {
      selection = await load(gpu);
    },
  };
}

function checkNodeOptions(options: unknown): 'auto' | boolean {
  const {gpu = 'auto'} = checkOptions('nodeBackend', options, ['gpu']);
  if (gpu !== 'auto' && gpu !== true && gpu !== false) {
    throw new ConfigError(`nodeBackend({gpu}) expects 'auto', true or false; got ${describe(gpu)}.`);
  }
  return gpu;
}

async function load(gpu: 'auto' | boolean): Promise<NodeBackendSelection> {
  const current = await loaded?.catch(() => undefined);
  if (current) {
    if ((gpu === true && current.package !== GPU_PACKAGE) || (gpu === false && current.package !== CPU_PACKAGE)) {
      throw new BackendError(
        `nodeBackend({gpu: ${gpu}}) asks for ${gpu ? GPU_PACKAGE : CPU_PACKAGE}, but this process already loaded ` +
          `${current.package}, and only one of the two can be loaded per process. Use one gpu option per process ` +
          "(or 'auto', which takes the loaded one).",
      );
    }
    return current;
  }
  const attempt = choose(gpu).then(async ({pkg, skipped}) => ({...(await importPackage(pkg)), skipped}));
  loaded = attempt;
  try {
    return await attempt;
  } catch (error) {
    // Nothing usable was loaded: a later register() (after an install) tries again.
    if (loaded === attempt) loaded = undefined;
    throw error;
  }
}

/** Picks the package for the `gpu` option, checking installation and versions without loading native code in this process. */
async function choose(gpu: 'auto' | boolean): Promise<{pkg: InstalledPackage; skipped: string[]}> {
  const core = tf.version_core;
  const skipped: string[] = [];
  if (gpu !== false) {
    const gpuPackage = await findPackage(GPU_PACKAGE);
    if (gpuPackage === undefined) {
      if (gpu === true) throw new BackendError(notInstalled(GPU_PACKAGE, core));
      skipped.push(`${GPU_PACKAGE}: not installed`);
    } else if (gpuPackage.version !== core) {
      if (gpu === true) throw new BackendError(versionMismatch(gpuPackage, core));
      skipped.push(`${GPU_PACKAGE}: ${versionMismatch(gpuPackage, core)}`);
    } else {
      // Loading CUDA can fail hard; find out in a child process first.
      const probe = await probeAddon(gpuPackage.dir);
      if (probe.loads && probe.gpuDevice) return {pkg: gpuPackage, skipped};
      const cuda = await findCudaLibraries();
      const reason = probe.loads ? noGpuDevice(gpuPackage, cuda) : addonFails(gpuPackage, probe.error ?? 'unknown error', cuda);
      if (gpu === true) throw new BackendError(reason);
      skipped.push(`${GPU_PACKAGE}: ${reason}`);
    }
  }
  const cpuPackage = await findPackage(CPU_PACKAGE);
  if (cpuPackage === undefined) {
    if (gpu === 'auto' && skipped[0] === `${GPU_PACKAGE}: not installed`) throw new BackendError(neitherInstalled(core));
    throw new BackendError(notInstalled(CPU_PACKAGE, core) + (skipped.length ? ` (Skipped: ${skipped.join('; ')})` : ''));
  }
  if (cpuPackage.version !== core) throw new BackendError(versionMismatch(cpuPackage, core));
  return {pkg: cpuPackage, skipped};
}

type TfjsNodeModule = {version_core?: unknown};
type NodeKernelBackend = {binding?: {TF_Version?: unknown}; isUsingGpuDevice?: unknown};

/** Imports the package (which registers and activates `tensorflow`), puts the previously active backend back, and checks the result. */
async function importPackage(pkg: InstalledPackage): Promise<Omit<NodeBackendSelection, 'skipped'>> {
  const engine = tf.engine() as unknown as {backendName: string | null; backendInstance: unknown};
  const before = engine.backendName ?? null;
  let module: TfjsNodeModule;
  try {
    const imported = (await importNodePackage(pkg.name)) as TfjsNodeModule & {default?: TfjsNodeModule};
    module = imported.version_core === undefined && imported.default ? imported.default : imported;
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    const cuda = pkg.name === GPU_PACKAGE ? await findCudaLibraries() : undefined;
    throw new BackendError(addonFails(pkg, message, cuda), {cause: error});
  } finally {
    await restoreActiveBackend(engine, before);
  }
  const seen = module.version_core;
  if (typeof seen === 'string' && seen !== tf.version_core) throw new BackendError(secondTfjsCore(pkg.name, seen, tf.version_core));
  if (tf.findBackendFactory('tensorflow') == null) {
    throw new BackendError(
      `${pkg.name} ${pkg.version} loaded but registered no 'tensorflow' backend; reinstall it (${pkg.name}@${tf.version_core}).`,
    );
  }
  // Training needs tfjs-core's gradients, on this backend as on every other, and the kernels tfjs-node lacks.
  ensureGradients();
  installNodeKernels();
  const backend = tf.engine().findBackend('tensorflow') as unknown as NodeKernelBackend | null;
  // Views of data moved from another backend keep their shape (see moved-views.ts).
  keepMovedViews(backend);
  return {
    package: pkg.name,
    version: pkg.version,
    tensorflowVersion: String(backend?.binding?.TF_Version ?? 'unknown'),
    gpuDevice: backend?.isUsingGpuDevice === true,
  };
}

/** tfjs-node's import calls `tf.setBackend('tensorflow')`: undo that, so that only `useBackend` switches. */
async function restoreActiveBackend(engine: {backendName: string | null; backendInstance: unknown}, before: string | null): Promise<void> {
  if ((engine.backendName ?? null) === before) return;
  if (before === null) {
    // No backend was chosen: back to that state (the first op or useBackend chooses).
    engine.backendName = null;
    engine.backendInstance = null;
  } else {
    await tf.setBackend(before);
  }
}
