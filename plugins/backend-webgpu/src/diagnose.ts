/**
 * `diagnose()`: whether WebGPU can run here, on which adapter, and what is missing.
 * @module
 */
import {ConfigError, checkOptions, describe} from '@trellis/core';
import {
  adapterName,
  currentGpu,
  ensureNavigatorGpu,
  isDawnGpu,
  isNode,
  isSoftwareAdapter,
  requireAdapter,
  type GpuLike,
} from './navigator-gpu';
import {createRequire, fileURLToPath, join} from '#node-builtins';

/** Options of {@link diagnose}: the adapter request `webgpu()` would make. */
export type WebGpuDiagnoseOptions = {
  /** Default `'high-performance'`, as `webgpu()`. */
  readonly powerPreference?: 'high-performance' | 'low-power';
  /** Node only: flags for Dawn's `create()` when `navigator.gpu` is provided here (default `[]`). */
  readonly dawnFlags?: readonly string[];
};

/** The adapter WebGPU offers. */
export type WebGpuAdapterReport = {
  /** One line naming it (`mesa software llvmpipe: Mesa 25.0.7 …`), as `describeAdapter()` does. */
  readonly name: string;
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /**
   * It computes on the CPU (Mesa's lavapipe, SwiftShader, a fallback
   * adapter): correct, but slower than the wasm backend.
   */
  readonly software: boolean;
};

/** One of the optional peer packages, as found from this plugin and the working directory (Node only). */
export type WebGpuPackageReport = {
  readonly name: 'webgpu' | '@tensorflow/tfjs-backend-webgpu';
  readonly installed: boolean;
  readonly version?: string;
};

/** The report of {@link diagnose}. */
export type WebGpuDiagnosis = {
  /** Where `navigator.gpu` comes from: the host (a browser, or an app that set one), Dawn (Node, provided here), or nowhere. */
  readonly source: 'host' | 'dawn' | 'none';
  /** Node only (empty in browsers, where the app's bundle decides): the optional peers and their versions. */
  readonly packages: readonly WebGpuPackageReport[];
  /** The adapter a `webgpu()` with these options would get, or null. */
  readonly adapter: WebGpuAdapterReport | null;
  /** `webgpu()` can register here: an adapter (a software one counts, see `adapter.software`) and, in Node, the tfjs package. */
  readonly usable: boolean;
  /** What is missing, each with what to do (empty when usable). */
  readonly problems: readonly string[];
  /** The same as readable text. */
  readonly text: string;
};

const TFJS_PACKAGE = '@tensorflow/tfjs-backend-webgpu';
const DAWN_PACKAGE = 'webgpu';

/**
 * Reports whether WebGPU can run here: where `navigator.gpu` comes from, the
 * adapter it offers (and whether that adapter is a software one), and, in
 * Node, the optional peer packages. Does not import
 * `@tensorflow/tfjs-backend-webgpu` (importing it would register the tfjs
 * backend) and never throws for what it finds. Like `register()`, in Node it
 * provides `navigator.gpu` from Dawn when there is none.
 *
 * @param options - see {@link WebGpuDiagnoseOptions}.
 * @throws {ConfigError} only for malformed or unknown options.
 */
export async function diagnose(options?: WebGpuDiagnoseOptions): Promise<WebGpuDiagnosis> {
  const {powerPreference = 'high-performance', dawnFlags = []} = checkDiagnoseOptions(options);
  const problems: string[] = [];
  const packages = isNode() ? findPackages() : [];
  const tfjsPackage = packages.find((p) => p.name === TFJS_PACKAGE);
  if (tfjsPackage && !tfjsPackage.installed) {
    problems.push(`${TFJS_PACKAGE} is not installed: npm install ${TFJS_PACKAGE}@^4.22.0 (the version of your @tensorflow/tfjs-core).`);
  }
  let gpu: GpuLike | undefined = currentGpu();
  let source: WebGpuDiagnosis['source'] = gpu ? (isDawnGpu(gpu) ? 'dawn' : 'host') : 'none';
  if (!gpu) {
    try {
      gpu = await ensureNavigatorGpu(dawnFlags);
      source = 'dawn';
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  let adapter: WebGpuAdapterReport | null = null;
  if (gpu) {
    try {
      const found = await requireAdapter(gpu, powerPreference);
      const info = found.info ?? {};
      adapter = {
        name: adapterName(found),
        vendor: info.vendor ?? '',
        architecture: info.architecture ?? '',
        device: info.device ?? '',
        description: info.description ?? '',
        software: isSoftwareAdapter(found),
      };
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  const usable = adapter !== null && (tfjsPackage === undefined || tfjsPackage.installed);
  const diagnosis = {source, packages, adapter, usable, problems};
  return {...diagnosis, text: formatDiagnosis(diagnosis)};
}

function checkDiagnoseOptions(options: unknown): WebGpuDiagnoseOptions {
  const checked = checkOptions('diagnose', options, ['powerPreference', 'dawnFlags']) as WebGpuDiagnoseOptions;
  const {powerPreference, dawnFlags} = checked;
  if (powerPreference !== undefined && powerPreference !== 'high-performance' && powerPreference !== 'low-power') {
    throw new ConfigError(`diagnose({powerPreference}) expects 'high-performance' or 'low-power'; got ${describe(powerPreference)}.`);
  }
  if (dawnFlags !== undefined && !(Array.isArray(dawnFlags) && dawnFlags.every((f) => typeof f === 'string'))) {
    throw new ConfigError(`diagnose({dawnFlags}) expects an array of strings such as ['backend=vulkan']; got ${describe(dawnFlags)}.`);
  }
  return checked;
}

function messageOf(error: unknown): string {
  return String((error as Error)?.message ?? error);
}

/** The two optional peers, found as Node finds a package for this module's own `import()`, then from the working directory. */
function findPackages(): WebGpuPackageReport[] {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(moduleUrl());
  const requires = [createRequire(here), createRequire(join(process.cwd(), 'package.json'))];
  return [DAWN_PACKAGE, TFJS_PACKAGE].map((name) => {
    for (const require of requires) {
      try {
        const {version} = require(`${name}/package.json`) as {version?: unknown};
        return {name, installed: true, ...(typeof version === 'string' ? {version} : {})} as WebGpuPackageReport;
      } catch {
        // not found from there
      }
    }
    return {name, installed: false} as WebGpuPackageReport;
  });
}

function moduleUrl(): string {
  return import.meta.url;
}

function formatDiagnosis(d: Omit<WebGpuDiagnosis, 'text'>): string {
  const lines = ['@trellis/backend-webgpu diagnosis:'];
  for (const p of d.packages) lines.push(`  ${p.name.padEnd(32)} ${p.installed ? (p.version ?? 'installed') : 'not installed'}`);
  lines.push(
    `  navigator.gpu: ${d.source === 'host' ? "the host's own" : d.source === 'dawn' ? "Dawn's (the 'webgpu' package)" : 'none'}`,
    `  adapter: ${d.adapter ? `${d.adapter.name}${d.adapter.software ? ' (software: computes on the CPU, slower than wasm)' : ''}` : 'none'}`,
    `  webgpu() would register: ${d.usable ? 'yes' : 'no (see the problems)'}`,
  );
  if (d.problems.length) lines.push('Problems:', ...d.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}
