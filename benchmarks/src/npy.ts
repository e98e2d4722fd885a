/**
 * NumPy's `.npy` format (version 1.0), uint8 only: how the runner hands the
 * training images to the Keras contender.
 * @module
 */

/**
 * The bytes of a C-order uint8 `.npy` file of `shape` holding `data`.
 *
 * @throws Error when `data.length` is not the product of `shape`.
 */
export function npyBytes(data: Uint8Array, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new Error(`npyBytes: ${data.length} values for shape [${shape.join(', ')}] (${size})`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to 64 bytes.
  const unpadded = 10 + header.length + 1;
  header = `${header}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}
