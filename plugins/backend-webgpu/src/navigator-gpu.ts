/**
 * Finding a WebGPU implementation: the browser's own `navigator.gpu`, or in
 * Node Dawn's, from the `webgpu` npm package, installed as `navigator.gpu`.
 * Then an adapter, so a missing driver is reported before tfjs tries.
 * @module
 */
import {BackendError} from '@trellis/core';

/** The slice of the WebGPU API this module reads (kept structural: no DOM typings needed). */
export type GpuLike = {requestAdapter(options?: {powerPreference?: 'low-power' | 'high-performance'}): Promise<AdapterLike | null>};
/** What Trellis reads of a `GPUAdapter`. */
export type AdapterLike = {
  readonly info?: {vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean};
  readonly features?: {has(name: string): boolean};
  /** The older place of `info.isFallbackAdapter`. */
  readonly isFallbackAdapter?: boolean;
};
/** Dawn's Node module (`webgpu` on npm). */
type DawnModule = {create(flags: string[]): GpuLike; globals: Record<string, unknown>};

/** How to get a WebGPU driver on a machine without a usable one, appended to the errors below. */
export const DRIVER_HINT =
  "On Linux install a Vulkan driver: your GPU vendor's, or without a GPU Mesa's software driver lavapipe " +
  '(Debian/Ubuntu: apt-get install mesa-vulkan-drivers libvulkan1; Dawn needs Mesa 23 or later, on Debian 12 ' +
  'from bookworm-backports: apt-get install -t bookworm-backports mesa-vulkan-drivers). ' +
  'Check with vulkaninfo --summary. On macOS and Windows Dawn uses Metal or Direct3D 12 and needs no extra driver.';

// A variable, not a literal: bundlers must not pull Dawn's Node addon into a
// browser bundle (browsers have their own navigator.gpu and never load it).
const DAWN_PACKAGE = 'webgpu';

/** Whether this looks like Node (where Dawn can provide WebGPU) rather than a browser or a worker. */
export function isNode(): boolean {
  const proc = (globalThis as {process?: {versions?: {node?: string}}}).process;
  return typeof proc?.versions?.node === 'string';
}

/** The `navigator.gpu` in place now, if any. */
export function currentGpu(): GpuLike | undefined {
  const nav = (globalThis as {navigator?: {gpu?: GpuLike}}).navigator;
  return nav?.gpu ?? undefined;
}

let installing: Promise<GpuLike> | undefined;
/** The `navigator.gpu` this module installed from Dawn, if any. */
let installed: GpuLike | undefined;

/** Whether `gpu` is the Dawn `navigator.gpu` this plugin installed (rather than the host's own). */
export function isDawnGpu(gpu: GpuLike): boolean {
  return gpu === installed;
}

/**
 * `navigator.gpu`, installing Dawn's in Node when there is none. Dawn's
 * globals (`GPUBufferUsage`, `GPUMapMode`, … that tfjs reads) are added to
 * `globalThis` where absent; nothing already there is overwritten.
 *
 * @param dawnFlags - passed to Dawn's `create()` (e.g. `['backend=vulkan']`); ignored where a `navigator.gpu` exists.
 * @throws {BackendError} when there is no WebGPU and it cannot be provided.
 */
export async function ensureNavigatorGpu(dawnFlags: readonly string[]): Promise<GpuLike> {
  const existing = currentGpu();
  if (existing) return existing;
  if (!isNode()) {
    throw new BackendError(
      'This browser has no WebGPU (navigator.gpu is undefined). Use a browser with WebGPU enabled ' +
        '(Chrome/Edge 113+, Safari 26+, Firefox 141+ on Windows), serve the page over https or localhost ' +
        '(WebGPU needs a secure context), or choose another backend (wasm() from @trellis/backend-wasm).',
    );
  }
  installing ??= loadDawn().then(
    (dawn) => {
      const gpu = createGpu(dawn, dawnFlags);
      installGlobals(dawn.globals, gpu);
      installed = gpu;
      return gpu;
    },
    (error: unknown) => {
      installing = undefined;
      throw error;
    },
  );
  return installing;
}

async function loadDawn(): Promise<DawnModule> {
  let module: Partial<DawnModule> & {default?: Partial<DawnModule>};
  try {
    module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ DAWN_PACKAGE)) as typeof module;
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    const missing = /Cannot find (package|module) 'webgpu'|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/.test(
      `${message} ${(error as {code?: string})?.code ?? ''}`,
    );
    throw new BackendError(
      missing
        ? "WebGPU in Node needs Dawn's binding, the npm package 'webgpu', which is not installed: npm install webgpu@^0.6.2."
        : `Dawn's binding (the npm package 'webgpu') failed to load: ${message}. Reinstall it (npm install webgpu@^0.6.2); ` +
            'its dawn.node ships prebuilt for linux-x64/arm64, darwin and win32-x64/arm64 only.',
      {cause: error},
    );
  }
  const create = module.create ?? module.default?.create;
  const globals = module.globals ?? module.default?.globals;
  if (typeof create !== 'function' || globals == null) {
    throw new BackendError("The npm package 'webgpu' loaded but exports no create()/globals: expected version ^0.6.2.");
  }
  return {create, globals};
}

function createGpu(dawn: DawnModule, dawnFlags: readonly string[]): GpuLike {
  try {
    return dawn.create([...dawnFlags]);
  } catch (error) {
    throw new BackendError(
      `Dawn refused to start with flags ${JSON.stringify(dawnFlags)}: ${(error as Error)?.message ?? String(error)}. ` +
        "Valid backends for 'backend=…' are vulkan, opengl, opengles, metal, d3d11, d3d12.",
      {cause: error},
    );
  }
}

function installGlobals(globals: Record<string, unknown>, gpu: GpuLike): void {
  const scope = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in scope)) scope[name] = value;
  }
  // Node 21+ has a global `navigator` (without gpu); Node 20 has none.
  const nav = scope.navigator as Record<string, unknown> | undefined;
  if (nav == null) {
    Object.defineProperty(globalThis, 'navigator', {value: {gpu}, configurable: true, writable: true});
  } else {
    Object.defineProperty(nav, 'gpu', {value: gpu, configurable: true, writable: true});
  }
}

/**
 * An adapter that actually computes: Dawn's `null` backend (an adapter named
 * `null-backend`) accepts every call and returns garbage, so it counts as none.
 */
export function usableAdapter(adapter: AdapterLike | null): adapter is AdapterLike {
  return adapter != null && adapter.info?.device !== 'null-backend';
}

/**
 * Whether the adapter computes on the CPU: a fallback adapter (WebGPU's own
 * flag), architecture `software`, or a known software driver (Mesa's
 * llvmpipe / lavapipe, SwiftShader). Correct, but far slower than a GPU.
 */
export function isSoftwareAdapter(adapter: AdapterLike): boolean {
  const info = adapter.info ?? {};
  if (info.isFallbackAdapter === true || adapter.isFallbackAdapter === true) return true;
  if ((info.architecture ?? '').toLowerCase() === 'software') return true;
  return /llvmpipe|lavapipe|swiftshader/i.test(`${info.device ?? ''} ${info.description ?? ''}`);
}

/** One line naming the adapter (`mesa software llvmpipe…`), for messages and `describeAdapter()`. */
export function adapterName(adapter: AdapterLike): string {
  const info = adapter.info ?? {};
  return [info.vendor, info.architecture, info.description || info.device].filter((part) => part).join(' ') || 'unnamed adapter';
}

/**
 * Requests an adapter the way tfjs will (same power preference) and throws a
 * `BackendError` that says what to install when there is none.
 */
export async function requireAdapter(gpu: GpuLike, powerPreference: 'low-power' | 'high-performance'): Promise<AdapterLike> {
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({powerPreference});
  } catch (error) {
    throw new BackendError(`WebGPU's requestAdapter() failed: ${(error as Error)?.message ?? String(error)}. ${DRIVER_HINT}`, {
      cause: error,
    });
  }
  if (!usableAdapter(adapter)) {
    throw new BackendError(
      isNode()
        ? `WebGPU has no adapter: Dawn found no GPU driver it can use. ${DRIVER_HINT}`
        : 'WebGPU has no adapter: the browser offers WebGPU but no GPU for it (blocklisted driver, or WebGPU disabled ' +
            'in its settings). Update the GPU driver or browser, or choose another backend (wasm() from @trellis/backend-wasm).',
    );
  }
  return adapter;
}
