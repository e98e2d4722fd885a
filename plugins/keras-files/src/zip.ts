/**
 * A defensive zip reader (central directory first, sizes checked before inflating, names checked
 * for traversal, CRC-32 checked) and a writer on fflate.
 * @module
 */
import {Inflate, zipSync, type Zippable} from 'fflate';
import {crc32} from './crc32';
import {KerasFileError} from './errors';
import type {ResolvedLimits} from './limits';

/** One entry of a zip's central directory. */
export interface ZipEntry {
  /** The entry's name, checked safe. */
  readonly name: string;
  /** 0 (stored) or 8 (deflated). */
  readonly method: number;
  /** Declared compressed size. */
  readonly compressedSize: number;
  /** Declared uncompressed size. */
  readonly size: number;
  /** Declared CRC-32. */
  readonly crc: number;
  /** Offset of the local header. */
  readonly localOffset: number;
}

const CD = 'zip central directory';

/** Refuses names that could escape the target folder or confuse a file system. */
export function checkEntryName(name: string, file: string): void {
  const bad =
    name.length === 0
      ? 'an empty name'
      : name.includes('\\')
        ? 'a backslash'
        : name.startsWith('/')
          ? 'an absolute path'
          : /^[a-zA-Z]:/.test(name)
            ? 'a drive letter'
            : name.split('/').some((part) => part === '..')
              ? "a '..' component"
              : [...name].some((c) => c.charCodeAt(0) < 0x20)
                ? 'a control character'
                : undefined;
  if (bad) throw new KerasFileError(file, `zip entry ${JSON.stringify(name)}`, 'unsafe', `refused: the name has ${bad}`);
}

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function u64(b: Uint8Array, o: number): number {
  // Values past 2^53 become larger than any limit, which is all that matters for them.
  return u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;
}

/** The fields of a zip record: name → [offset in the record, width in bytes]. */
type RecordLayout<K extends string> = Readonly<Record<K, readonly [offset: number, width: 2 | 4 | 8]>>;

/** Reads the little-endian unsigned fields of the record at `at` that `layout` names. */
function readRecord<K extends string>(bytes: Uint8Array, at: number, layout: RecordLayout<K>): Record<K, number> {
  const read = {2: u16, 4: u32, 8: u64} as const;
  const fields = {} as Record<K, number>;
  for (const name of Object.keys(layout) as K[]) {
    const [offset, width] = layout[name];
    fields[name] = read[width](bytes, at + offset);
  }
  return fields;
}

/** The end-of-central-directory record (signature 0x06054b50). */
const END_RECORD: RecordLayout<'disk' | 'cdDisk' | 'countHere' | 'count' | 'cdSize' | 'cdOffset'> = {
  disk: [4, 2],
  cdDisk: [6, 2],
  countHere: [8, 2],
  count: [10, 2],
  cdSize: [12, 4],
  cdOffset: [16, 4],
};

/** The ZIP64 end-of-central-directory record (signature 0x06064b50): the same fields, wider. */
const ZIP64_END_RECORD: typeof END_RECORD = {
  disk: [16, 4],
  cdDisk: [20, 4],
  countHere: [24, 8],
  count: [32, 8],
  cdSize: [40, 8],
  cdOffset: [48, 8],
};

/** A central directory file header (signature 0x02014b50), 46 bytes before its name, extra field and comment. */
const DIRECTORY_HEADER: RecordLayout<
  'flags' | 'method' | 'crc' | 'compressedSize' | 'size' | 'nameLength' | 'extraLength' | 'commentLength' | 'localOffset'
> = {
  flags: [8, 2],
  method: [10, 2],
  crc: [16, 4],
  compressedSize: [20, 4],
  size: [24, 4],
  nameLength: [28, 2],
  extraLength: [30, 2],
  commentLength: [32, 2],
  localOffset: [42, 4],
};

/** The central directory's entries and where the file data ends (where the directory starts). */
export interface CentralDirectory {
  /** Entries in directory order. */
  readonly entries: ZipEntry[];
  /** Offset of the central directory: local headers and data must end before it. */
  readonly dataEnd: number;
}

/** Reads and validates the central directory of a zip (ZIP64 included), without inflating anything. */
export function readCentralDirectory(bytes: Uint8Array, file: string, limits: ResolvedLimits): CentralDirectory {
  if (bytes.length < 22) throw new KerasFileError(file, CD, 'truncated', `the file has ${bytes.length} bytes, too few for a zip`);
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--) {
    if (u32(bytes, o) === 0x06054b50 && o + 22 + u16(bytes, o + 20) === bytes.length) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) {
    const isZip = u32(bytes, 0) === 0x04034b50;
    throw new KerasFileError(
      file,
      CD,
      isZip ? 'truncated' : 'corrupt',
      isZip ? 'no end-of-central-directory record: the zip is truncated' : 'not a zip file (no end-of-central-directory record)',
    );
  }
  let {disk, cdDisk, countHere, count, cdSize, cdOffset} = readRecord(bytes, eocd, END_RECORD);
  let recordsStart = eocd;
  if (count === 0xffff || countHere === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(bytes, locator) !== 0x07064b50) {
      throw new KerasFileError(file, CD, 'corrupt', 'a ZIP64 end record is announced but its locator is missing');
    }
    const record = u64(bytes, locator + 8);
    if (record + 56 > locator || u32(bytes, record) !== 0x06064b50) {
      throw new KerasFileError(file, CD, 'corrupt', 'the ZIP64 end record is missing or out of place');
    }
    ({disk, cdDisk, countHere, count, cdSize, cdOffset} = readRecord(bytes, record, ZIP64_END_RECORD));
    recordsStart = record;
  }
  if (disk !== 0 || cdDisk !== 0 || countHere !== count) {
    throw new KerasFileError(file, CD, 'unsupported', 'multi-part (spanned) zips are not read');
  }
  if (count > limits.maxEntries) {
    throw new KerasFileError(file, CD, 'limit', `${count} entries declared, more than maxEntries = ${limits.maxEntries}`);
  }
  if (cdOffset + cdSize > recordsStart) {
    throw new KerasFileError(
      file,
      CD,
      'truncated',
      `the directory (${cdSize} bytes at ${cdOffset}) runs past its end record at ${recordsStart}`,
    );
  }
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let o = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (o + 46 > end || u32(bytes, o) !== 0x02014b50) {
      throw new KerasFileError(file, CD, 'corrupt', `entry ${i} of ${count} has no valid header at offset ${o}`);
    }
    const header = readRecord(bytes, o, DIRECTORY_HEADER);
    const {flags, method, crc, nameLength, extraLength, commentLength} = header;
    let {compressedSize, size, localOffset} = header;
    if (o + 46 + nameLength + extraLength + commentLength > end) {
      throw new KerasFileError(file, CD, 'corrupt', `entry ${i} of ${count} runs past the directory`);
    }
    let name: string;
    try {
      name = new TextDecoder('utf-8', {fatal: true}).decode(bytes.subarray(o + 46, o + 46 + nameLength));
    } catch (error) {
      throw new KerasFileError(file, CD, 'corrupt', `entry ${i} has a name that is not UTF-8`, {cause: error});
    }
    checkEntryName(name, file);
    const part = `zip entry ${JSON.stringify(name)}`;
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // ZIP64 extended information: the 64-bit values, in this order, of the fields that are 0xffffffff.
      let e = o + 46 + nameLength;
      const extraEnd = e + extraLength;
      let found = false;
      while (e + 4 <= extraEnd) {
        const id = u16(bytes, e);
        const length = u16(bytes, e + 2);
        if (e + 4 + length > extraEnd) break;
        if (id === 0x0001) {
          let p = e + 4;
          const take = (): number => {
            if (p + 8 > e + 4 + length) throw new KerasFileError(file, part, 'corrupt', 'the ZIP64 extra field is too short');
            const v = u64(bytes, p);
            p += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localOffset === 0xffffffff) localOffset = take();
          found = true;
          break;
        }
        e += 4 + length;
      }
      if (!found) throw new KerasFileError(file, part, 'corrupt', 'ZIP64 sizes are announced but the ZIP64 extra field is missing');
    }
    if (names.has(name)) throw new KerasFileError(file, part, 'unsafe', 'refused: the name occurs twice');
    names.add(name);
    if (flags & 0x1) throw new KerasFileError(file, part, 'unsupported', 'encrypted entries are not read');
    if (method !== 0 && method !== 8) {
      throw new KerasFileError(file, part, 'unsupported', `compression method ${method} (only stored and deflated are read)`);
    }
    if (size > limits.maxEntryBytes) {
      throw new KerasFileError(
        file,
        part,
        'limit',
        `declares ${size} bytes uncompressed, more than maxEntryBytes = ${limits.maxEntryBytes}`,
      );
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new KerasFileError(
        file,
        part,
        'limit',
        `the entries declare ${total} bytes uncompressed in all, more than maxTotalBytes = ${limits.maxTotalBytes}`,
      );
    }
    if (method === 0 && compressedSize !== size) {
      throw new KerasFileError(
        file,
        part,
        'corrupt',
        `a stored entry declares ${compressedSize} bytes stored but ${size} bytes uncompressed`,
      );
    }
    // Deflate expands at most ~1032:1; a larger declared ratio cannot be honest.
    if (method === 8 && size > compressedSize * 1032 + 1024) {
      throw new KerasFileError(
        file,
        part,
        'corrupt',
        `declares ${size} bytes from ${compressedSize} compressed bytes, more than deflate can produce`,
      );
    }
    if (localOffset + 30 > cdOffset) {
      throw new KerasFileError(file, part, 'corrupt', `its local header offset ${localOffset} is outside the file data`);
    }
    entries.push({name, method, compressedSize, size, crc, localOffset});
    o += 46 + nameLength + extraLength + commentLength;
  }
  return {entries, dataEnd: cdOffset};
}

/** Compressed bytes inflated per step: at most ~16 MiB of output (deflate's 1032:1) before the size is checked again. */
const INFLATE_CHUNK = 16 * 1024;

/**
 * Inflates `stored` into `size` bytes, stopping at the first step whose output passes `size`: a
 * stream longer than its entry declares costs no more work than the declared size (plus one
 * step), where inflating it whole could take minutes. `length` is what was inflated, past `size`
 * when the stream is longer.
 */
function inflateBounded(stored: Uint8Array, size: number): {data: Uint8Array; length: number} {
  const data = new Uint8Array(size);
  let length = 0;
  const inflater = new Inflate((chunk) => {
    if (length + chunk.length <= size) data.set(chunk, length);
    length += chunk.length;
  });
  let at = 0;
  do {
    const end = Math.min(at + INFLATE_CHUNK, stored.length);
    inflater.push(stored.subarray(at, end), end === stored.length);
    at = end;
  } while (at < stored.length && length <= size);
  return {data, length};
}

/** Inflates one entry (its declared sizes already checked) and verifies its CRC-32. */
export function readEntry(bytes: Uint8Array, entry: ZipEntry, file: string, dataEnd: number): Uint8Array {
  const part = `zip entry ${JSON.stringify(entry.name)}`;
  const o = entry.localOffset;
  if (u32(bytes, o) !== 0x04034b50) throw new KerasFileError(file, part, 'corrupt', `no local header at offset ${o}`);
  const start = o + 30 + u16(bytes, o + 26) + u16(bytes, o + 28);
  if (start + entry.compressedSize > dataEnd) {
    throw new KerasFileError(file, part, 'truncated', `its ${entry.compressedSize} bytes run past the end of the file data`);
  }
  const stored = bytes.subarray(start, start + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = stored;
  } else {
    let inflated: {data: Uint8Array; length: number};
    try {
      inflated = inflateBounded(stored, entry.size);
    } catch (error) {
      throw new KerasFileError(file, part, 'corrupt', `cannot inflate (${error instanceof Error ? error.message : String(error)})`, {
        cause: error,
      });
    }
    if (inflated.length !== entry.size) {
      throw new KerasFileError(
        file,
        part,
        'corrupt',
        inflated.length > entry.size
          ? `inflates to more than the declared ${entry.size} bytes`
          : `inflates to ${inflated.length} bytes, not the declared ${entry.size}`,
      );
    }
    data = inflated.data;
  }
  if (crc32(data) !== entry.crc) throw new KerasFileError(file, part, 'corrupt', 'CRC-32 mismatch: the entry is damaged');
  return data;
}

/** The entries of a zip by name, plus a reader for each; nothing is inflated until read. */
export interface ZipReader {
  /** Entries in central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** Inflates and checks one entry; `undefined` when there is no such entry. */
  read(name: string): Uint8Array | undefined;
}

/** Opens a zip: validates the whole central directory (names, counts, declared sizes) first. */
export function openZip(bytes: Uint8Array, file: string, limits: ResolvedLimits): ZipReader {
  const {entries, dataEnd} = readCentralDirectory(bytes, file, limits);
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    entries,
    read(name) {
      const entry = byName.get(name);
      return entry === undefined ? undefined : readEntry(bytes, entry, file, dataEnd);
    },
  };
}

/** Writes a zip with stored (uncompressed) entries, in the given order, as Python's `zipfile` does for Keras. */
export function writeZip(files: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data] of files) {
    checkEntryName(name, 'zip');
    zippable[name] = [data, {level: 0, mtime: new Date(1980, 0, 1, 0, 0, 0)}];
  }
  return zipSync(zippable);
}
