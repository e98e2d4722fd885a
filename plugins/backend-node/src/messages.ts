/**
 * What is wrong and how to fix it: the messages of the `BackendError`s and of
 * `diagnose()`'s problems.
 * @module
 */
import type {CudaReport} from './cuda';
import {CPU_PACKAGE, GPU_PACKAGE, type InstalledPackage, type NodePackageName} from './locate';

/** `npm install <name>@<version>`: the version that shares the app's tfjs-core. */
export const installCommand = (name: NodePackageName, tfjsCore: string) => `npm install ${name}@${tfjsCore}`;

export function notInstalled(name: NodePackageName, tfjsCore: string): string {
  const gpuHint =
    name === CPU_PACKAGE
      ? ` For an NVIDIA GPU (CUDA 11.2, cuDNN 8.1) install ${GPU_PACKAGE}@${tfjsCore} instead and use nodeBackend({gpu: true}).`
      : ` Without a GPU, install ${CPU_PACKAGE}@${tfjsCore} and use nodeBackend({gpu: false}).`;
  return (
    `${name} is not installed (it is an optional peer dependency of @trellis/backend-node). ` +
    `Install the version of your @tensorflow/tfjs-core: ${installCommand(name, tfjsCore)}.${gpuHint}`
  );
}

export function neitherInstalled(tfjsCore: string): string {
  return (
    `Neither ${GPU_PACKAGE} nor ${CPU_PACKAGE} is installed (optional peer dependencies of @trellis/backend-node; ` +
    `one of them provides the 'tensorflow' backend). Install the one for this machine, at the version of your ` +
    `@tensorflow/tfjs-core: ${installCommand(CPU_PACKAGE, tfjsCore)} (CPU), or ${installCommand(GPU_PACKAGE, tfjsCore)} ` +
    '(NVIDIA GPU with CUDA 11.2 and cuDNN 8.1).'
  );
}

export function versionMismatch(pkg: InstalledPackage, tfjsCore: string): string {
  return (
    `${pkg.name} ${pkg.version} does not match @tensorflow/tfjs-core ${tfjsCore}: ${pkg.name} ${pkg.version} ` +
    `brings its own @tensorflow/tfjs-core ${pkg.version}, and two copies of tfjs-core in one process run one ` +
    `version's ops on the other's engine. Install the matching version: ${installCommand(pkg.name, tfjsCore)} ` +
    `(or move @tensorflow/tfjs-core and the other tfjs packages to ${pkg.version}).`
  );
}

/** The package was imported but it reports another tfjs-core than the app's: a nested copy. */
export function secondTfjsCore(name: NodePackageName, seen: string, tfjsCore: string): string {
  return (
    `${name} runs on @tensorflow/tfjs-core ${seen}, but this app's @tensorflow/tfjs-core is ${tfjsCore}: ` +
    `the package manager installed a second copy for it. Install matching versions (${installCommand(name, tfjsCore)}) ` +
    'and check with `npm ls @tensorflow/tfjs-core` (or `pnpm why @tensorflow/tfjs-core`) that only one is left.'
  );
}

/** The native addon of an installed package does not load: why, and what to do. */
export function addonFails(pkg: InstalledPackage, error: string, cuda?: CudaReport): string {
  const reason = oneLine(error);
  if (/tfjs_binding\.node\)? can not be found/i.test(error)) {
    return (
      `${pkg.name} ${pkg.version} is installed but its native addon was never built: its install script did not run ` +
      '(pnpm 10 runs dependency build scripts only when allowed; npm with --ignore-scripts runs none). Allow it ' +
      `(pnpm: add '${pkg.name}' to onlyBuiltDependencies or run pnpm approve-builds) and run ` +
      `npm rebuild ${pkg.name} (pnpm rebuild ${pkg.name}). Details: ${reason}`
    );
  }
  if (pkg.name === GPU_PACKAGE) return `${pkg.name} ${pkg.version} does not load: ${reason}. ${cudaAdvice(cuda)}`;
  return (
    `${pkg.name} ${pkg.version} is installed but its native addon does not load: ${reason}. Reinstall it so that its ` +
    `install script downloads libtensorflow and the addon again (npm rebuild ${pkg.name}); diagnose() from ` +
    '@trellis/backend-node shows what loads.'
  );
}

export function noGpuDevice(pkg: InstalledPackage, cuda?: CudaReport): string {
  return `${pkg.name} ${pkg.version} loads, but TensorFlow found no GPU device to use. ${cudaAdvice(cuda)}`;
}

/** Which CUDA libraries are missing, and how to get them. */
export function cudaAdvice(cuda?: CudaReport): string {
  const missing = cuda?.libraries.filter((l) => l.found.length === 0) ?? [];
  const wrong = missing.filter((l) => l.otherVersions.length > 0);
  const listed =
    cuda === undefined
      ? ''
      : missing.length === 0
        ? 'All the CUDA and cuDNN libraries it opens were found, so check the NVIDIA driver (nvidia-smi) and that the GPU is visible to this process (CUDA_VISIBLE_DEVICES). '
        : `Not found: ${missing.map((l) => l.name).join(', ')}` +
          (wrong.length ? ` (other versions present: ${wrong.flatMap((l) => l.otherVersions).join(', ')})` : '') +
          `; searched the linker cache${cuda.linkerCache ? '' : ' (ldconfig unavailable)'} and ${cuda.searched.join(', ')}. `;
  return (
    `${GPU_PACKAGE} needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8…). ${listed}` +
    'Install them and put their folder on LD_LIBRARY_PATH, or train on the CPU: ' +
    `nodeBackend({gpu: false}) with ${CPU_PACKAGE}.`
  );
}

/** The first line of an error message, without the trailing period. */
export function oneLine(message: string): string {
  return (message.split('\n').find((l) => l.trim()) ?? message).trim().replace(/[.\s]+$/, '');
}
