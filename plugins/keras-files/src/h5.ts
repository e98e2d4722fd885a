/**
 * HDF5 through h5wasm (the reference HDF5 library compiled to WebAssembly), loaded lazily, used on
 * in-memory files only (Emscripten's MEMFS), in Node and in browsers. Reading is defensive: every
 * object is checked for links, nesting depth and count, and every dataset's declared size is
 * checked against the limits and the file before it is read.
 * @module
 */
import type {Dataset as H5Dataset, File as H5File, Group as H5Group} from 'h5wasm';
import {DTYPES, bfloat16ToFloat, halfToFloat, sizeOf, type KerasArray, type KerasDType, type KerasTypedArray} from './arrays';
import {KerasFileError, asFileError, summarize} from './errors';
import {inH5Session, isTrap, type H5} from './h5-instance';
import type {ResolvedLimits} from './limits';

let counter = 0;

/**
 * Runs `fn` in an h5wasm session ({@link inH5Session}) with HDF5 errors thrown as exceptions (not
 * printed), then restores HDF5's default handler. h5wasm is synchronous, so nothing else runs in
 * between. Every failure comes out as a Trellis error: anything else (a WebAssembly trap on a
 * malformed file) becomes a `corrupt` {@link KerasFileError} naming `file` and `part`.
 */
async function withThrowingErrors<T>(file: string, part: string, fn: (h5: H5) => T): Promise<T> {
  try {
    return await inH5Session(
      (h5) => {
        h5.module.activate_throwing_error_handler();
        try {
          return fn(h5);
        } finally {
          h5.module.deactivate_throwing_error_handler();
        }
      },
      (error) =>
        new KerasFileError(file, part, 'unsupported', `the HDF5 library (h5wasm) could not be loaded: ${summarize(error)}`, {
          cause: error,
        }),
    );
  } catch (error) {
    throw asFileError(error, file, part);
  }
}

/** Opens `bytes` as an HDF5 file (read-only, in memory) for the duration of `fn`. */
export async function withH5Reader<T>(
  bytes: Uint8Array,
  file: string,
  part: string,
  limits: ResolvedLimits,
  fn: (reader: H5Reader) => T,
): Promise<T> {
  if (bytes.length < 8 || !isHdf5Signature(bytes)) {
    throw new KerasFileError(file, part, bytes.length < 8 ? 'truncated' : 'corrupt', 'not an HDF5 file (no HDF5 signature at the start)');
  }
  checkGlobalHeaps(bytes, file, part);
  const path = `/trellis-keras-files-${++counter}.h5`;
  return withThrowingErrors(file, part, (h5) => {
    const FS = h5.module.FS;
    FS.writeFile(path, bytes);
    try {
      let handle: H5File;
      try {
        handle = new h5.lib.File(path, 'r');
      } catch (error) {
        if (isTrap(error)) throw error;
        const detail = summarize(error);
        throw new KerasFileError(
          file,
          part,
          /truncated|eof|end of file|addr overflow/i.test(detail) ? 'truncated' : 'corrupt',
          `cannot open as HDF5: ${detail}`,
          {cause: error},
        );
      }
      try {
        return fn(new H5Reader(h5, handle, bytes.length, file, part, limits));
      } finally {
        try {
          handle.close();
        } catch (error) {
          // Closing a damaged file may fail (the memory file is removed below anyway); after a
          // trap the session replaces the instance.
          if (isTrap(error)) h5.trapped = true;
        }
      }
    } finally {
      try {
        FS.unlink(path);
      } catch {
        // a trapped instance is discarded anyway
      }
    }
  });
}

/**
 * Checks every global heap collection (where HDF5 keeps variable-length strings) before the HDF5
 * library parses it: its objects must tile the collection, each with a non-zero size. The HDF5
 * library loops forever on a free-space object of size 0, and reads past the collection on
 * sizes that overrun it. Collections are found by their signature; HDF5 refuses any collection
 * whose signature is damaged.
 */
function checkGlobalHeaps(bytes: Uint8Array, file: string, part: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (o: number) => view.getUint32(o, true) + view.getUint32(o + 4, true) * 0x1_0000_0000;
  for (let at = bytes.indexOf(0x47); at >= 0 && at + 16 <= bytes.length; at = bytes.indexOf(0x47, at + 1)) {
    // "GCOL", version 1, three reserved zero bytes
    if (bytes[at + 1] !== 0x43 || bytes[at + 2] !== 0x4f || bytes[at + 3] !== 0x4c || bytes[at + 4] !== 1) continue;
    if (bytes[at + 5] !== 0 || bytes[at + 6] !== 0 || bytes[at + 7] !== 0) continue;
    const fail = (detail: string): never => {
      throw new KerasFileError(file, `${part}: global heap at byte ${at}`, at + 16 > bytes.length ? 'truncated' : 'corrupt', detail);
    };
    const size = u64(at + 8);
    if (size < 16 || at + size > bytes.length) fail(`the collection declares ${size} bytes, the file has ${bytes.length - at} from there`);
    const end = at + size;
    for (let p = at + 16; p < end; ) {
      if (p + 16 > end) break; // a tail too small for an object header is free space
      const index = view.getUint16(p, true);
      const objectSize = u64(p + 8);
      const need = index === 0 ? objectSize : 16 + Math.ceil(objectSize / 8) * 8;
      if (need === 0 || (index === 0 && need < 16)) fail(`object ${index} has size ${objectSize}`);
      if (p + need > end) fail(`object ${index} (${objectSize} bytes) runs past the collection`);
      p += need;
    }
  }
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `bytes` starts with the HDF5 signature (files with a user block are not read). */
export function isHdf5Signature(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

/** What a path in an HDF5 file holds. */
export type H5Kind = 'group' | 'dataset' | 'other';

/** Safe, limit-checked access to an open HDF5 file. */
export class H5Reader {
  private objects = 0;
  private datasetBytes = 0;
  /** Paths known to be groups, and the names listed in those that were listed. */
  private readonly groups = new Set<string>(['/']);
  private readonly listings = new Map<string, Set<string>>();

  constructor(
    private readonly h5: H5,
    private readonly handle: H5File,
    private readonly fileLength: number,
    /** The file name used in errors. */
    readonly file: string,
    /** The part name used in errors (`model.weights.h5`). */
    readonly part: string,
    /** Limits in force. */
    readonly limits: ResolvedLimits,
  ) {}

  private fail(path: string, problem: ConstructorParameters<typeof KerasFileError>[2], detail: string, cause?: unknown): never {
    throw new KerasFileError(this.file, `${this.part}: ${path}`, problem, detail, cause === undefined ? {} : {cause});
  }

  /** The kind of object at absolute `path`; refuses soft and external links. `undefined` if absent. */
  kind(path: string): H5Kind | undefined {
    const m = this.h5.module;
    // A name missing from its group's listing is absent: asking HDF5 about a missing path is an
    // HDF5 error, and each costs h5wasm memory (see h5-instance.ts).
    if (path !== '/' && this.unlisted(path)) return undefined;
    let type: number;
    try {
      // Links first: resolving an external link would open another file.
      if (this.handle.get_link(path) !== null) this.fail(path, 'unsafe', 'refused: a soft link');
      const external = this.handle.get_external_link(path) as {filename?: string} | null;
      if (external !== null && typeof external === 'object' && external.filename !== undefined) {
        this.fail(path, 'unsafe', `refused: an external link (to ${JSON.stringify(external.filename)})`);
      }
      type = this.handle.get_type(path);
    } catch (error) {
      if (KerasFileError.is(error)) throw error;
      // A missing path makes HDF5's link query fail: absent.
      if (/doesn't exist|not found|does not exist/i.test(summarize(error))) return undefined;
      this.fail(path, 'corrupt', summarize(error), error);
    }
    if (type < 0) return undefined;
    if (type === m.H5G_LINK || type === m.H5G_UDLINK) this.fail(path, 'unsafe', 'refused: a link');
    if (++this.objects > this.limits.maxObjects) this.fail(path, 'limit', `more than maxObjects = ${this.limits.maxObjects} objects`);
    if (type === m.H5G_GROUP) this.groups.add(path);
    return type === m.H5G_GROUP ? 'group' : type === m.H5G_DATASET ? 'dataset' : 'other';
  }

  /** Whether the last name of `path` is missing from its parent's listing (`false` while the parent is not known to be a group). */
  private unlisted(path: string): boolean {
    const slash = path.lastIndexOf('/');
    const parent = slash <= 0 ? '/' : path.slice(0, slash);
    return this.groups.has(parent) && !this.listing(parent).has(path.slice(slash + 1));
  }

  /** The names in the group at `path`, listed once. */
  private listing(path: string): Set<string> {
    let names = this.listings.get(path);
    if (names === undefined) {
      try {
        names = new Set((path === '/' ? this.handle : (this.handle.get(path) as H5Group)).keys());
      } catch (error) {
        this.fail(path, 'corrupt', summarize(error), error);
      }
      this.listings.set(path, names);
    }
    return names;
  }

  /** The names of the children of the group at absolute `path`, checked. */
  children(path: string): string[] {
    const depth = path === '/' ? 0 : path.split('/').length - 1;
    if (depth > this.limits.maxDepth) this.fail(path, 'limit', `nested deeper than maxDepth = ${this.limits.maxDepth}`);
    const names = [...this.listing(path)];
    if (names.length > this.limits.maxObjects)
      this.fail(path, 'limit', `${names.length} children, more than maxObjects = ${this.limits.maxObjects}`);
    for (const name of names) {
      if (name === '' || name === '.' || name === '..' || name.includes('/'))
        this.fail(path, 'invalid', `a child has the name ${JSON.stringify(name)}`);
    }
    return names;
  }

  /** A string attribute (or array of strings) of the object at `path`; `undefined` when absent. */
  stringAttribute(path: string, name: string): string | string[] | undefined {
    const value = this.attribute(path, name);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    // Keras (through h5py) writes an empty list as an empty float64 array.
    if (ArrayBuffer.isView(value) && value.byteLength === 0) return [];
    this.fail(`${path} attribute ${name}`, 'invalid', 'expected a string or an array of strings');
  }

  /** Whether the object at `path` has attribute `name`. */
  hasAttribute(path: string, name: string): boolean {
    try {
      return Object.prototype.hasOwnProperty.call(this.object(path).attrs, name);
    } catch (error) {
      this.fail(path, 'corrupt', summarize(error), error);
    }
  }

  private object(path: string): H5Group | H5Dataset {
    return this.handle.get(path) as H5Group | H5Dataset;
  }

  private attribute(path: string, name: string): unknown {
    const where = `${path} attribute ${name}`;
    try {
      const attrs = this.object(path).attrs;
      if (!Object.prototype.hasOwnProperty.call(attrs, name)) return undefined;
      const attribute = attrs[name]!;
      const md = attribute.metadata;
      const count = md.shape === null ? 0 : sizeOf(md.shape);
      if (!md.vlen && count * md.size > this.limits.maxAttributeBytes) {
        this.fail(where, 'limit', `declares ${count * md.size} bytes, more than maxAttributeBytes = ${this.limits.maxAttributeBytes}`);
      }
      const value = attribute.value;
      if (typeof value === 'string' && value.length > this.limits.maxAttributeBytes) {
        this.fail(where, 'limit', `holds ${value.length} characters, more than maxAttributeBytes = ${this.limits.maxAttributeBytes}`);
      }
      return value;
    } catch (error) {
      throw asFileError(error, this.file, `${this.part}: ${where}`);
    }
  }

  /** Reads the dataset at `path` after checking its type and declared size. */
  dataset(path: string): KerasArray {
    let ds: H5Dataset;
    try {
      ds = this.handle.get(path) as H5Dataset;
    } catch (error) {
      this.fail(path, 'corrupt', summarize(error), error);
    }
    let md: H5Dataset['metadata'];
    let filters: H5Dataset['filters'];
    try {
      md = ds.metadata;
      filters = ds.filters;
    } catch (error) {
      this.fail(path, 'corrupt', summarize(error), error);
    }
    const shape = md.shape;
    if (shape === null) this.fail(path, 'invalid', 'the dataset has no dataspace (a null dataset)');
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) this.fail(path, 'corrupt', `invalid shape [${shape.join(', ')}]`);
    const count = sizeOf(shape);
    if (count !== md.total_size) this.fail(path, 'corrupt', `shape [${shape.join(', ')}] does not match its ${md.total_size} elements`);
    const dtype = this.dtypeOf(path, md);
    const bytes = count * md.size;
    if (bytes > this.limits.maxDatasetBytes) {
      this.fail(
        path,
        'limit',
        `shape [${shape.join(', ')}] × ${md.size} bytes = ${bytes} bytes, more than maxDatasetBytes = ${this.limits.maxDatasetBytes}`,
      );
    }
    this.datasetBytes += bytes;
    if (this.datasetBytes > this.limits.maxTotalDatasetBytes) {
      this.fail(
        path,
        'limit',
        `the datasets declare ${this.datasetBytes} bytes in all, more than maxTotalDatasetBytes = ${this.limits.maxTotalDatasetBytes}`,
      );
    }
    if (filters.length === 0 && bytes > this.fileLength) {
      this.fail(
        path,
        'truncated',
        `shape [${shape.join(', ')}] declares ${bytes} bytes of uncompressed data, but the whole file has ${this.fileLength} bytes`,
      );
    }
    let raw: unknown;
    try {
      // h5wasm has no float16 array type: read 2-byte floats (and opaque bfloat16) as raw bytes.
      raw = md.size === 2 && (dtype === 'float16' || dtype === 'bfloat16') ? this.rawBytes(path, bytes) : ds.value;
    } catch (error) {
      this.fail(
        path,
        /truncat|eof|addr overflow|end of/i.test(summarize(error)) ? 'truncated' : 'corrupt',
        `cannot read the data: ${summarize(error)}`,
        error,
      );
    }
    const values = this.convert(path, dtype, raw, count);
    return {dtype, shape: [...shape], values};
  }

  private rawBytes(path: string, nbytes: number): Uint8Array {
    const m = this.h5.module as unknown as {
      _malloc(n: number): number;
      _free(ptr: number): void;
      HEAPU8: Uint8Array;
      get_dataset_data(fileId: bigint, path: string, count: null, offset: null, stride: null, ptr: bigint): number;
    };
    const ptr = m._malloc(Math.max(1, nbytes));
    if (!ptr) this.fail(path, 'limit', `cannot allocate ${nbytes} bytes`);
    try {
      m.get_dataset_data(this.handle.file_id, path, null, null, null, BigInt(ptr));
      return m.HEAPU8.slice(ptr, ptr + nbytes);
    } finally {
      m._free(ptr);
    }
  }

  private dtypeOf(path: string, md: H5Dataset['metadata']): KerasDType {
    const INTEGER = 0;
    const FLOAT = 1;
    const OPAQUE = 5;
    if (md.vlen) this.fail(path, 'unsupported', 'variable-length data is not a weight');
    let tagged: unknown;
    if (md.size === 2 && (md.type === OPAQUE || md.type === INTEGER || md.type === FLOAT) && this.hasAttribute(path, 'dtype')) {
      tagged = this.attribute(path, 'dtype');
      // Keras stores bfloat16 as 2-byte opaque data (numpy's memory layout) tagged dtype="bfloat16".
      if (tagged === 'bfloat16') return 'bfloat16';
    }
    if ((md.type === INTEGER || md.type === FLOAT) && !md.littleEndian && md.size > 1)
      this.fail(path, 'unsupported', 'big-endian data is not read');
    if (md.type === FLOAT) {
      if (md.size === 2) return 'float16';
      if (md.size === 4) return 'float32';
      if (md.size === 8) return 'float64';
    }
    if (md.type === INTEGER) {
      const bits = md.size * 8;
      const name = `${md.signed ? 'int' : 'uint'}${bits}`;
      if (name in DTYPES) return name as KerasDType;
    }
    this.fail(path, 'unsupported', `HDF5 type class ${md.type} of ${md.size} bytes is not a supported weight dtype`);
  }

  private convert(path: string, dtype: KerasDType, raw: unknown, count: number): KerasTypedArray {
    // h5wasm returns the value of a 0-d dataset as a number or bigint.
    if ((typeof raw === 'number' || typeof raw === 'bigint') && count === 1 && dtype !== 'float16' && dtype !== 'bfloat16') {
      const info = DTYPES[dtype];
      const out = new info.ctor(1);
      if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[0] = BigInt(raw);
      else out[0] = Number(raw);
      return out;
    }
    if (!ArrayBuffer.isView(raw)) {
      // h5wasm returns scalars of 0-d datasets as typed arrays too; anything else is unexpected.
      this.fail(path, 'corrupt', 'the data did not read as an array');
    }
    const view = raw as ArrayBufferView;
    if (dtype === 'float16' || dtype === 'bfloat16') {
      if (view.byteLength !== count * 2) this.fail(path, 'truncated', `read ${view.byteLength} bytes, expected ${count * 2}`);
      const bits = new Uint16Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
      return dtype === 'float16' ? halfToFloat(bits) : bfloat16ToFloat(bits);
    }
    const info = DTYPES[dtype];
    if (!(view instanceof info.ctor) || view.length !== count) {
      this.fail(path, 'truncated', `read ${view.byteLength} bytes, expected ${count} × ${info.size}`);
    }
    return view as KerasTypedArray;
  }
}

/** Collects an in-memory HDF5 file written by `fn` and returns its bytes. */
export async function withH5Writer(fn: (file: H5File) => void): Promise<Uint8Array> {
  const path = `/trellis-keras-files-${++counter}.h5`;
  return withThrowingErrors('HDF5 output', 'HDF5', (h5) => {
    const FS = h5.module.FS;
    try {
      // The layout h5py writes by default: superblock 0, symbol-table groups, version-1 object headers.
      const handle = new h5.lib.File(path, 'w', {libver: ['earliest', 'v110']});
      try {
        fn(handle);
      } finally {
        handle.close();
      }
      return new Uint8Array(FS.readFile(path));
    } finally {
      try {
        FS.unlink(path);
      } catch {
        // the file was never created
      }
    }
  });
}

/** The group at `path` below `root` (slash-separated, relative), creating missing groups. */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let group = root;
  for (const part of path.split('/')) {
    if (part === '') continue;
    const existing = group.get(part);
    group = existing === null ? group.create_group(part) : (existing as H5Group);
  }
  return group;
}
