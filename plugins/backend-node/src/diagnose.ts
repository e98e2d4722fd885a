/**
 * `diagnose()`: what the native backend needs on this machine, and what is missing.
 * @module
 */
import {version_core} from '@tensorflow/tfjs-core';
import {checkOptions} from '@trellis/core';
import {findCudaLibraries, type CudaReport} from './cuda';
import {CPU_PACKAGE, GPU_PACKAGE, findPackage, type NodePackageName} from './locate';
import {addonFails, neitherInstalled, noGpuDevice, versionMismatch} from './messages';
import {probeAddon, type AddonProbe} from './probe';

/** Options of {@link diagnose}. */
export type DiagnoseOptions = {
  /** Resolve the packages from this folder (an app's root) instead of from this plugin and the working directory. */
  readonly from?: string;
  /** How long the child process that loads an addon may take (default 120 000 ms). */
  readonly timeoutMs?: number;
};

/** One of the two packages. */
export type PackageDiagnosis = {
  readonly name: NodePackageName;
  readonly installed: boolean;
  readonly version?: string;
  readonly dir?: string;
  /** Its version equals `@tensorflow/tfjs-core`'s (else it brings a second tfjs-core). */
  readonly matchesTfjsCore?: boolean;
  /** What loading it in a child process showed (only for installed packages). */
  readonly addon?: AddonProbe;
};

/** The report of {@link diagnose}. */
export type NodeDiagnosis = {
  readonly node: string;
  readonly napi: string;
  readonly platform: string;
  /** The `@tensorflow/tfjs-core` version in use. */
  readonly tfjsCore: string;
  readonly packages: readonly PackageDiagnosis[];
  /** The CUDA 11.2 / cuDNN 8.1 libraries the GPU package opens: found or not. */
  readonly cuda: CudaReport;
  /** The package `nodeBackend({gpu: 'auto'})` would load, or null when neither works. */
  readonly usable: NodePackageName | null;
  /** What is wrong, each with what to do (empty when the backend works). */
  readonly problems: readonly string[];
  /** The same as readable text. */
  readonly text: string;
};

/**
 * Reports which tfjs-node packages are installed and their versions, whether
 * their native addon loads (tried in a child process, so a failing dlopen or a
 * crash cannot take this process down), the libtensorflow version, for the GPU
 * package the devices TensorFlow sees, and the CUDA/cuDNN libraries found
 * (`ldconfig -p`, `LD_LIBRARY_PATH`). Loads no native code in this process and
 * does not throw for anything it finds.
 *
 * @param options - see {@link DiagnoseOptions}.
 * @throws {ConfigError} only for unknown options.
 */
export async function diagnose(options?: DiagnoseOptions): Promise<NodeDiagnosis> {
  checkOptions('diagnose', options, ['from', 'timeoutMs']);
  const {from, timeoutMs} = options ?? {};
  const problems: string[] = [];
  const [cuda, ...packages] = await Promise.all([
    findCudaLibraries(),
    ...[GPU_PACKAGE, CPU_PACKAGE].map(async (name): Promise<PackageDiagnosis> => {
      const pkg = await findPackage(name, from);
      if (pkg === undefined) return {name, installed: false};
      const matchesTfjsCore = pkg.version === version_core;
      return {...pkg, installed: true, matchesTfjsCore, addon: await probeAddon(pkg.dir, timeoutMs)};
    }),
  ]);
  let usable: NodePackageName | null = null;
  for (const p of packages) {
    if (!p.installed || p.addon === undefined) continue;
    const pkg = {name: p.name, version: p.version ?? 'unknown', dir: p.dir ?? ''};
    if (!p.matchesTfjsCore) problems.push(versionMismatch(pkg, version_core));
    if (!p.addon.loads) problems.push(addonFails(pkg, p.addon.error ?? 'unknown error', p.name === GPU_PACKAGE ? cuda : undefined));
    else if (p.name === GPU_PACKAGE && !p.addon.gpuDevice) problems.push(noGpuDevice(pkg, cuda));
    const works = p.matchesTfjsCore && p.addon.loads && (p.name === CPU_PACKAGE || p.addon.gpuDevice);
    if (works && usable === null) usable = p.name;
  }
  if (packages.every((p) => !p.installed)) problems.push(neitherInstalled(version_core));
  const diagnosis = {
    node: process.versions.node,
    napi: process.versions.napi ?? 'unknown',
    platform: `${process.platform} ${process.arch}`,
    tfjsCore: version_core,
    packages,
    cuda,
    usable,
    problems,
  };
  return {...diagnosis, text: formatDiagnosis(diagnosis)};
}

function formatDiagnosis(d: Omit<NodeDiagnosis, 'text'>): string {
  const lines = [`@trellis/backend-node diagnosis: Node ${d.node} (N-API ${d.napi}), ${d.platform}, @tensorflow/tfjs-core ${d.tfjsCore}`];
  for (const p of d.packages) {
    if (!p.installed) {
      lines.push(`  ${p.name.padEnd(26)} not installed`);
      continue;
    }
    const version = `${p.version}${p.matchesTfjsCore ? '' : ` (≠ tfjs-core ${d.tfjsCore})`}`;
    const addon = p.addon?.loads
      ? `addon loads, libtensorflow ${p.addon.tensorflowVersion}, devices: ${p.addon.devices.join(', ') || 'none reported'}`
      : `addon does not load: ${p.addon?.error?.split('\n')[0] ?? 'unknown'}`;
    lines.push(`  ${p.name.padEnd(26)} ${version}, ${p.dir}`, `  ${''.padEnd(26)} ${addon}`);
  }
  const gpuInstalled = d.packages.some((p) => p.name === GPU_PACKAGE && p.installed);
  const found = d.cuda.libraries.filter((l) => l.found.length > 0);
  lines.push(
    `  CUDA/cuDNN for ${GPU_PACKAGE}: ${found.length}/${d.cuda.libraries.length} found` +
      (found.length ? ` (${found.map((l) => `${l.name} → ${l.found[0]}`).join(', ')})` : '') +
      (gpuInstalled && found.length < d.cuda.libraries.length
        ? `; missing ${d.cuda.libraries
            .filter((l) => !l.found.length)
            .map((l) => l.name)
            .join(', ')}`
        : ''),
  );
  lines.push(`  nodeBackend({gpu: 'auto'}) would use: ${d.usable ?? 'nothing (see the problems)'}`);
  if (d.problems.length) lines.push('Problems:', ...d.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}
