/**
 * The backends `'auto'` tries, fastest first: node-gpu, webgpu, node, wasm, cpu.
 * @module
 */
import {cpu} from '@trellis/backend-cpu';
import {wasm} from '@trellis/backend-wasm';
import {ConfigError, checkOptions, describe, type BackendCandidate, type BackendPlugin} from '@trellis/core';

/** The optional backend packages `'auto'` imports when they are installed. */
export type OptionalBackendPackage = '@trellis/backend-node' | '@trellis/backend-webgpu';

/** Options of {@link backendCandidates}. */
export type BackendCandidatesOptions = {
  /**
   * Imports an optional backend package. Default: a dynamic `import()` of
   * the name, which in Node finds what is installed. Browser bundlers cannot
   * see an import by a name held in a variable, so a bundled app that wants
   * `'auto'` to consider `@trellis/backend-webgpu` passes
   * `(name) => name === '@trellis/backend-webgpu' ? import('@trellis/backend-webgpu') : Promise.reject(new Error('not bundled'))`.
   */
  readonly import?: (name: OptionalBackendPackage) => Promise<unknown>;
};

/** What `'auto'` uses of `@trellis/backend-node`. */
type NodeModule = {
  nodeBackend(options: {gpu: boolean}): BackendPlugin & {
    readonly selection?: {package: string; version: string; tensorflowVersion: string; gpuDevice: boolean};
  };
};
/** What `'auto'` uses of `@trellis/backend-webgpu`. */
type WebGpuModule = {
  webgpu(): BackendPlugin;
  diagnose(): Promise<{adapter: {name: string; software: boolean} | null; problems: readonly string[]}>;
  describeAdapter(): string | undefined;
};

/** A package name held in a variable: bundlers leave the optional packages out instead of failing on them. */
const importByName = (name: OptionalBackendPackage): Promise<unknown> => import(/* webpackIgnore: true */ /* @vite-ignore */ name);

const INSTALL: Record<OptionalBackendPackage, string> = {
  '@trellis/backend-node': 'npm install @trellis/backend-node @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu with CUDA)',
  '@trellis/backend-webgpu': 'npm install @trellis/backend-webgpu @tensorflow/tfjs-backend-webgpu webgpu',
};

/**
 * The backends `useBackend('auto')` and `createTrellis({backend: 'auto'})`
 * try, fastest first: native TensorFlow on an NVIDIA GPU (`node-gpu`,
 * `@trellis/backend-node` with `@tensorflow/tfjs-node-gpu`), WebGPU on a
 * hardware adapter (`webgpu`, `@trellis/backend-webgpu`; a software adapter
 * such as Mesa's lavapipe is skipped, being slower than wasm), native
 * TensorFlow on the CPU (`node`), `wasm`, and `cpu`. The two optional
 * packages are imported only when a candidate is tried; a package that is not
 * installed is a reason to skip, never a crash.
 *
 * @param options - see {@link BackendCandidatesOptions}.
 * @returns new candidate objects, for `chooseBackend` or `useBackend('auto', {candidates})`.
 * @throws {ConfigError} for unknown options or an `import` that is not a function.
 */
export function backendCandidates(options: BackendCandidatesOptions = {}): BackendCandidate[] {
  checkOptions('backendCandidates', options, ['import']);
  const load = options.import ?? importByName;
  if (typeof load !== 'function') {
    throw new ConfigError(`backendCandidates({import}) expects a function (name) => Promise<module>; got ${describe(load)}.`);
  }
  const modules = new Map<OptionalBackendPackage, Promise<unknown>>();
  const optional = <M>(name: OptionalBackendPackage, member: keyof M & string) => {
    if (!modules.has(name))
      modules.set(
        name,
        Promise.resolve().then(() => load(name)),
      );
    return importOptional<M>(name, member, modules.get(name)!);
  };
  const native = (gpu: boolean): BackendCandidate => ({
    name: gpu ? 'node-gpu' : 'node',
    async plugin() {
      if (!inNode()) return 'not Node.js (native TensorFlow runs only in Node)';
      const module = await optional<NodeModule>('@trellis/backend-node', 'nodeBackend');
      return typeof module === 'string' ? module : module.nodeBackend({gpu});
    },
    describe(plugin) {
      const selection = (plugin as ReturnType<NodeModule['nodeBackend']>).selection;
      return selection && `${selection.package} ${selection.version}, libtensorflow ${selection.tensorflowVersion}`;
    },
  });
  let webgpuModule: WebGpuModule | undefined;
  return [
    native(true),
    {
      name: 'webgpu',
      async plugin() {
        const module = await optional<WebGpuModule>('@trellis/backend-webgpu', 'webgpu');
        if (typeof module === 'string') return module;
        webgpuModule = module;
        let diagnosis: Awaited<ReturnType<WebGpuModule['diagnose']>>;
        try {
          diagnosis = await module.diagnose();
        } catch (error) {
          return `@trellis/backend-webgpu's diagnose() failed: ${firstSentence(String((error as Error)?.message ?? error))}`;
        }
        const {adapter, problems} = diagnosis;
        if (adapter === null) return firstSentence(problems[0] ?? 'no WebGPU adapter');
        if (adapter.software) return `software adapter (${adapter.name}; computes on the CPU, slower than wasm)`;
        return module.webgpu();
      },
      describe: () => {
        const adapter = webgpuModule?.describeAdapter();
        return adapter && `adapter ${adapter}`;
      },
    },
    native(false),
    {name: 'wasm', plugin: async () => wasm()},
    {name: 'cpu', plugin: async () => cpu()},
  ];
}

/**
 * The module (its CommonJS `default` unwrapped), or the reason it cannot be
 * used: not installed, failing to load, or not exporting `member`.
 */
async function importOptional<M>(name: OptionalBackendPackage, member: string, loading: Promise<unknown>): Promise<M | string> {
  let module: Record<string, unknown>;
  try {
    module = (await loading) as Record<string, unknown>;
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    const code = String((error as {code?: unknown})?.code ?? '');
    const notFound = /MODULE_NOT_FOUND/.test(code) || /Cannot find (package|module)/.test(message);
    if (notFound && message.includes(name)) return `${name} is not installed (${INSTALL[name]})`;
    return `${name} failed to load: ${firstSentence(message)}`;
  }
  const found = typeof module?.[member] === 'function' ? module : (module?.default as Record<string, unknown> | undefined);
  if (typeof found?.[member] !== 'function') return `${name} exports no ${member}(): reinstall it at the version of trellis`;
  return found as M;
}

/** The first sentence of a message, without its final period. */
function firstSentence(message: string): string {
  const line = message.trim().split('\n')[0] ?? '';
  const end = line.search(/\.\s/);
  return (end === -1 ? line : line.slice(0, end)).replace(/[.\s]+$/, '');
}

function inNode(): boolean {
  return typeof (globalThis as {process?: {versions?: {node?: unknown}}}).process?.versions?.node === 'string';
}
