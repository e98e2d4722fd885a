/**
 * Finding the CUDA and cuDNN libraries @tensorflow/tfjs-node-gpu needs.
 * @module
 */

/**
 * The shared libraries libtensorflow 2.9 (the one tfjs-node-gpu 4.x downloads)
 * opens for the GPU: CUDA 11.2 and cuDNN 8.1, by these exact names; plus the
 * driver's `libcuda.so.1`.
 */
export const CUDA_LIBRARIES = [
  'libcuda.so.1',
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
] as const;

/** One required library: where it was found, and other versions of it that were. */
export type CudaLibrary = {
  readonly name: (typeof CUDA_LIBRARIES)[number];
  /** Paths with exactly this name (empty: TensorFlow will not find it). */
  readonly found: readonly string[];
  /** Paths of other versions (`libcudart.so.12`): present, but not the one TensorFlow 2.9 opens. */
  readonly otherVersions: readonly string[];
};

/** Where the libraries were looked for, and what was found. */
export type CudaReport = {
  readonly libraries: readonly CudaLibrary[];
  /** The folders searched besides the linker cache (`LD_LIBRARY_PATH`, the usual CUDA folders). */
  readonly searched: readonly string[];
  /** Whether `ldconfig -p` (the dynamic linker's cache) could be read. */
  readonly linkerCache: boolean;
};

const USUAL_FOLDERS = ['/usr/local/cuda/lib64', '/usr/local/cuda/targets/x86_64-linux/lib', '/usr/lib/x86_64-linux-gnu'];

/** Searches the dynamic linker's cache (`ldconfig -p`) and `LD_LIBRARY_PATH` for {@link CUDA_LIBRARIES}. Never throws. */
export async function findCudaLibraries(): Promise<CudaReport> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const {execFile} = await import('node:child_process');
  const candidates: string[] = [];

  const cache = await new Promise<string | undefined>((resolve) => {
    const tryNext = (commands: string[]) => {
      const [command, ...rest] = commands;
      if (command === undefined) {
        resolve(undefined);
        return;
      }
      execFile(command, ['-p'], {timeout: 10_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout) =>
        error ? tryNext(rest) : resolve(stdout),
      );
    };
    tryNext(['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']);
  });
  for (const line of cache?.split('\n') ?? []) {
    const m = /=>\s*(\S+)\s*$/.exec(line);
    if (m?.[1]) candidates.push(m[1]);
  }

  const searched = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...USUAL_FOLDERS];
  for (const dir of searched) {
    try {
      for (const file of fs.readdirSync(dir)) candidates.push(path.join(dir, file));
    } catch {
      // a folder that does not exist
    }
  }

  const libraries = CUDA_LIBRARIES.map((name) => {
    const stem = name.slice(0, name.indexOf('.so') + 3);
    const found = new Set<string>();
    const otherVersions = new Set<string>();
    for (const candidate of candidates) {
      const base = path.basename(candidate);
      if (base === name) found.add(candidate);
      else if (base.startsWith(`${stem}.`)) otherVersions.add(candidate);
    }
    return {name, found: [...found], otherVersions: [...otherVersions]};
  });
  return {libraries, searched, linkerCache: cache !== undefined};
}
