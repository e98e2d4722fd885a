/**
 * The first `count` items of an uncompressed IDX file (MNIST's format), as a
 * new, valid IDX file: the same header with the item count rewritten, then
 * the first `count` items' bytes.
 */
export function idxSubset(bytes: Uint8Array, count: number, file: string): Uint8Array {
  if (bytes.length < 8) throw new Error(`${file}: ${bytes.length} bytes, too short for an IDX header.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const dims = magic & 0xff;
  if (magic >>> 8 !== 0x08 || dims < 1) {
    throw new Error(`${file}: magic number 0x${magic.toString(16).padStart(8, '0')} is not an unsigned-byte IDX file's.`);
  }
  const header = 4 + 4 * dims;
  const total = view.getUint32(4);
  let itemBytes = 1;
  for (let d = 1; d < dims; d++) itemBytes *= view.getUint32(4 + 4 * d);
  if (bytes.length !== header + total * itemBytes) {
    throw new Error(`${file}: expected ${header + total * itemBytes} bytes for ${total} items, found ${bytes.length}.`);
  }
  if (!Number.isInteger(count) || count < 1 || count > total) {
    throw new Error(`${file}: cannot take ${count} items from a file of ${total}.`);
  }
  const out = bytes.slice(0, header + count * itemBytes);
  new DataView(out.buffer).setUint32(4, count);
  return out;
}
