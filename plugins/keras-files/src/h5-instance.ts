/**
 * The h5wasm instance: loaded lazily, used in synchronous sessions that leave it as they found
 * it, and replaced by a fresh instance when it can no longer be trusted.
 *
 * h5wasm reports an HDF5 error by throwing a JavaScript exception from inside its WebAssembly
 * code (its "throwing error handler"). The exception unwinds the WebAssembly frames without
 * running their epilogues, so every HDF5 error leaves behind:
 * - the frames' shadow-stack space (about 1 KiB): the stack pointer is not restored. The 2 MiB
 *   stack sits above the library's static data; after a few thousand errors the stack runs into
 *   it and overwrites malloc's state and HDF5's globals (malloc then never returns, or the
 *   library traps on a later, valid file);
 * - the temporary file the error message was printed to, still open: the in-memory file system
 *   has 4,096 descriptors, after which no file can be opened;
 * - what the interrupted function had opened or allocated: HDF5 objects (which keep their file
 *   open) and C++ strings, a few KiB.
 *
 * A session restores the stack pointer and closes the descriptors left open; the heap that
 * cannot be reclaimed is bounded by replacing the instance once its memory passes a bound (in
 * Node, ESM, where a fresh instance can be loaded).
 * @module
 */
type H5Lib = typeof import('h5wasm');
type H5Module = Awaited<H5Lib['ready']>;

/** A loaded h5wasm instance. */
export interface H5 {
  /** h5wasm's high-level API (File, Group, Dataset) bound to this instance. */
  readonly lib: H5Lib;
  /** The Emscripten module: HDF5 functions, heap, in-memory file system. */
  readonly module: H5Module;
  /** h5wasm's shadow-stack pointer, when its WebAssembly instance could be seen being created. */
  readonly stack: WebAssembly.Global | undefined;
  /** Loaded by this package alone (Node, ESM): can be replaced, and released when it is. */
  readonly ownCopy: boolean;
  /** Descriptors HDF5 errors left open (closed by the sessions). */
  leaks: number;
  /** A trap was seen (and caught) during the session: the instance is replaced after it. */
  trapped: boolean;
  /** Replaced: sessions must not start on it. */
  retired: boolean;
}

/** Memory (bytes) past which an instance is replaced after its session (where it can be). */
let heapBound = 256 * 1024 ** 2;
/** Without access to the stack pointer, HDF5 errors an instance may take before it is replaced. */
const ERRORS_WITHOUT_STACK = 256;

let loading: Promise<H5> | undefined;
/** Private copies imported so far (each under its own query). */
let copies = 0;
/** Instances loaded so far. */
let loads = 0;

/** The file URL of h5wasm where a private copy can be imported (Node, ESM); `undefined` elsewhere. */
function h5wasmUrl(): string | undefined {
  const resolve = (import.meta as {resolve?: (specifier: string) => string}).resolve;
  try {
    const url = typeof resolve === 'function' ? resolve('h5wasm') : undefined;
    return url?.startsWith('file:') ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads h5wasm (its WebAssembly is inlined in the package: no network, no files). In Node (ESM)
 * each instance is a private copy (the module imported again under a query), so that it can be
 * replaced; elsewhere the shared module is used.
 */
function loadH5(): Promise<H5> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Runs `fn` in a session ({@link withH5Session}) on the current instance. The instance is checked
 * right before the session starts, in the same synchronous step: a concurrent call may have
 * replaced it while this one waited for it to load.
 * @param unavailable turns a failure to load h5wasm into the error to throw
 */
export async function inH5Session<T>(fn: (h5: H5) => T, unavailable: (error: unknown) => Error): Promise<T> {
  for (;;) {
    let h5: H5;
    try {
      h5 = await loadH5();
    } catch (error) {
      throw unavailable(error);
    }
    if (!h5.retired) return withH5Session(h5, () => fn(h5));
  }
}

async function load(): Promise<H5> {
  const url = h5wasmUrl();
  const seen: WebAssembly.Instance[] = [];
  const stopWatching = watchInstantiation(seen);
  try {
    const lib = (
      url === undefined ? await import('h5wasm') : await import(/* webpackIgnore: true */ /* @vite-ignore */ `${url}?instance=${++copies}`)
    ) as H5Lib;
    const module = await lib.ready;
    loads++;
    return {lib, module, stack: stackPointerOf(seen, module), ownCopy: url !== undefined, leaks: 0, trapped: false, retired: false};
  } finally {
    stopWatching();
  }
}

/**
 * Records the WebAssembly instances created while h5wasm loads: h5wasm does not expose its
 * stack pointer, its instance does (an export of the WebAssembly module).
 */
function watchInstantiation(into: WebAssembly.Instance[]): () => void {
  if (typeof WebAssembly === 'undefined') return () => {};
  const wasm = WebAssembly as unknown as {instantiate: (...args: unknown[]) => Promise<unknown>};
  const original = wasm.instantiate;
  const watching = (...args: unknown[]): Promise<unknown> =>
    Reflect.apply(original, WebAssembly, args).then((result: unknown) => {
      const instance = result instanceof WebAssembly.Instance ? result : (result as {instance?: unknown}).instance;
      if (instance instanceof WebAssembly.Instance) into.push(instance);
      return result;
    });
  try {
    wasm.instantiate = watching;
  } catch {
    return () => {};
  }
  return () => {
    if (wasm.instantiate === watching) wasm.instantiate = original;
  };
}

/** The `__stack_pointer` global of the instance whose memory is `module`'s heap. */
function stackPointerOf(instances: readonly WebAssembly.Instance[], module: H5Module): WebAssembly.Global | undefined {
  for (const instance of instances) {
    const {memory, __stack_pointer: stack} = instance.exports;
    if (memory instanceof WebAssembly.Memory && memory.buffer === module.HEAPU8.buffer && stack instanceof WebAssembly.Global) {
      return typeof stack.value === 'number' ? stack : undefined;
    }
  }
  return undefined;
}

/** Whether `error` (or its cause) is a WebAssembly trap (out-of-bounds access, unreachable...). */
export function isTrap(error: unknown): boolean {
  if (typeof WebAssembly === 'undefined') return false;
  return error instanceof WebAssembly.RuntimeError || (error instanceof Error && error.cause instanceof WebAssembly.RuntimeError);
}

interface Stream {
  readonly fd: number;
}

/** Emscripten's table of open descriptors (not in h5wasm's types); `undefined` if it is not there. */
function streamsOf(h5: H5): (Stream | null | undefined)[] | undefined {
  const streams = (h5.module.FS as unknown as {streams?: unknown}).streams;
  return Array.isArray(streams) ? (streams as (Stream | null | undefined)[]) : undefined;
}

/**
 * Runs `fn`, which calls h5wasm synchronously, then puts back what HDF5 errors left behind:
 * the stack pointer, and descriptors opened during `fn` and still open (the files error
 * messages were printed to; a file HDF5 keeps open for an object an error left open). After a
 * trap, or once the instance's memory passes the bound, the instance is replaced.
 */
function withH5Session<T>(h5: H5, fn: () => T): T {
  const stack = h5.stack?.value as number | undefined;
  const before = new Set(streamsOf(h5) ?? []);
  try {
    return fn();
  } catch (error) {
    if (isTrap(error)) h5.trapped = true;
    throw error;
  } finally {
    if (h5.stack !== undefined && stack !== undefined) h5.stack.value = stack;
    for (const stream of streamsOf(h5) ?? []) {
      if (stream === null || stream === undefined || before.has(stream)) continue;
      h5.leaks++;
      try {
        h5.module.FS.close(stream as never);
      } catch {
        // already closed
      }
    }
    if (h5.trapped || (h5.ownCopy && exhausted(h5))) retire(h5);
  }
}

function exhausted(h5: H5): boolean {
  return h5.module.HEAPU8.length > heapBound || (h5.stack === undefined && h5.leaks > ERRORS_WITHOUT_STACK);
}

/**
 * Retires `h5`: the next session loads a fresh instance (where only the shared module can be
 * loaded, the same broken one comes back, and its calls fail with typed errors). A private copy is
 * released: Node keeps every imported module for the life of the process, with the instance's
 * memory; emptying its module object lets that memory be collected.
 */
function retire(h5: H5): void {
  h5.retired = true;
  loading = undefined;
  if (!h5.ownCopy) return;
  for (const target of [h5.module.FS, h5.module] as object[]) {
    for (const key of Reflect.ownKeys(target)) Reflect.deleteProperty(target, key);
  }
}

/** The state of the current instance, for tests: what a session must leave as it was. */
export interface H5State {
  /** Instances loaded so far (a new one after a trap, or once the memory bound is passed). */
  readonly generation: number;
  /** The shadow-stack pointer (`undefined` if not visible). */
  readonly stackPointer: number | undefined;
  /** Size of the WebAssembly memory, bytes. */
  readonly heapBytes: number;
  /** Open descriptors of the in-memory file system. */
  readonly openDescriptors: number;
  /** Entries of the in-memory file system's root and `/tmp`. */
  readonly files: string[];
  /** Descriptors HDF5 errors left open in this instance (closed at the end of their session). */
  readonly leaks: number;
}

/** The current instance's state (loads it if needed; outside any session, so it replaces nothing). */
export async function h5State(): Promise<H5State> {
  let h5 = await loadH5();
  while (h5.retired) h5 = await loadH5();
  const FS = h5.module.FS;
  return {
    generation: loads,
    stackPointer: h5.stack?.value as number | undefined,
    heapBytes: h5.module.HEAPU8.length,
    openDescriptors: (streamsOf(h5) ?? []).filter((s) => s !== null && s !== undefined).length,
    files: [...FS.readdir('/').map((n: string) => `/${n}`), ...FS.readdir('/tmp').map((n: string) => `/tmp/${n}`)],
    leaks: h5.leaks,
  };
}

/** Sets the memory bound past which an instance is replaced; returns the previous one (for tests). */
export function setHeapBound(bytes: number): number {
  const previous = heapBound;
  heapBound = bytes;
  return previous;
}
