/**
 * Comparing Trellis' numbers with Keras'.
 *
 * The error of a tensor is the largest absolute difference divided by the
 * largest magnitude of the reference: `max|ours − keras| / max|keras|`. It is
 * relative to the tensor's scale, so elements near zero (a sigmoid's gradient
 * far from 0, an Adam update where the gradient vanished) do not turn float32
 * rounding into huge element-wise ratios, and it is still 1e-5 "relative" in
 * the sense that matters: the error is 1e-5 of the values' size.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {HostTensor, TreeOut} from './tensor-tree';

/** The numbers compared on our side. */
export type Numbers = tf.Tensor | HostTensor | ArrayLike<number> | number;

/** The worst element of a comparison. */
export interface Comparison {
  /** `max|ours − keras| / max|keras|` (0 when both are all zero). */
  readonly error: number;
  /** Where the largest absolute difference is (flat index). */
  readonly index: number;
  readonly ours: number;
  readonly keras: number;
  readonly scale: number;
}

/** The values of `n` on the host; a tensor is read with `await tensor.data()` (every backend can). */
async function values(n: Numbers): Promise<{shape: readonly number[] | null; data: ArrayLike<number>}> {
  if (typeof n === 'number') return {shape: [], data: [n]};
  if (n instanceof tf.Tensor) return {shape: n.shape, data: await n.data()};
  if ('values' in n && 'shape' in n) return {shape: n.shape, data: n.values};
  return {shape: null, data: n};
}

/**
 * Compares element by element, reading tensors asynchronously; rejects when
 * the shapes or lengths differ.
 */
export async function compare(ours: Numbers, keras: Numbers): Promise<Comparison> {
  const a = await values(ours);
  const b = await values(keras);
  if (a.shape && b.shape && (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape![i]))) {
    throw new Error(`shape [${a.shape.join(', ')}] vs Keras' [${b.shape.join(', ')}]`);
  }
  if (a.data.length !== b.data.length) throw new Error(`${a.data.length} values vs Keras' ${b.data.length}`);
  let scale = 0;
  let worst = -1;
  let index = 0;
  for (let i = 0; i < b.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    scale = Math.max(scale, Math.abs(y));
    // NaN on either side (but not both) is the worst possible difference.
    const diff = Number.isNaN(x) || Number.isNaN(y) ? (Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity) : Math.abs(x - y);
    if (diff > worst) {
      worst = diff;
      index = i;
    }
  }
  const error = worst <= 0 ? 0 : scale === 0 ? Infinity : worst / scale;
  return {error, index, ours: a.data[index] ?? NaN, keras: b.data[index] ?? NaN, scale};
}

/**
 * Rejects unless `compare(ours, keras).error <= tolerance`, with a message
 * that says which value, how far off, and where. Resolves to the comparison.
 * Tensors are read with `await tensor.data()`, so it works on every backend
 * (webgpu in Node cannot read synchronously); await it before disposing them.
 */
export async function expectClose(
  label: string,
  ours: Numbers,
  keras: Numbers | TreeOut | undefined,
  tolerance: number,
): Promise<Comparison> {
  if (keras === undefined || keras === null || typeof keras === 'string' || typeof keras === 'boolean') {
    throw new Error(`${label}: Keras returned no numbers (${String(keras)})`);
  }
  const result = await compare(ours, keras as Numbers);
  observed.push({label, error: result.error, tolerance});
  if (!(result.error <= tolerance)) {
    throw new Error(
      `${label}: error ${result.error.toExponential(3)} > tolerance ${tolerance} ` +
        `(worst at [${result.index}]: Trellis ${result.ours}, Keras ${result.keras}; scale ${result.scale})`,
    );
  }
  return result;
}

/** `tree[key]` of a Keras result, or an error naming what is missing. */
export function field(tree: TreeOut | undefined, ...path: (string | number)[]): TreeOut {
  let node: TreeOut | undefined = tree;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) {
      throw new Error(`Keras result has no ${path.join('.')}`);
    }
    node = (node as Record<string, TreeOut>)[key as string];
  }
  return node as TreeOut;
}

const observed: {label: string; error: number; tolerance: number}[] = [];

/**
 * One line per tolerance with the largest error seen so far in this test file
 * and where, e.g. `worst error 3.1e-6 of 1e-4 (adam final layer 0 kernel)`: how
 * much headroom the tolerances leave. Forgets what it reported: call it in the
 * `afterAll` of a describe block to report that block.
 */
export function worstErrors(): string {
  const worst = new Map<number, {label: string; error: number}>();
  for (const {label, error, tolerance} of observed.splice(0)) {
    if (!(error <= (worst.get(tolerance)?.error ?? -1))) worst.set(tolerance, {label, error});
  }
  return [...worst].map(([tolerance, {label, error}]) => `worst error ${error.toExponential(2)} of ${tolerance} (${label})`).join('\n');
}
