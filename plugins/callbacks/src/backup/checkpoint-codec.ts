/**
 * A training checkpoint as bytes: a JSON header and one binary blob of
 * every tensor (the model's weights by name, the optimizer's state tree),
 * checked whole before anything is built from it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {DataError, type OptimizerState, type StateTree, type TrainingState} from '@trellis/core';

/** What a checkpoint holds: the fit's training state, the weights and the optimizer state. */
export type Checkpoint = {
  readonly training: TrainingState;
  /** Owned by whoever made the checkpoint (encoding disposes nothing; decoding makes new tensors the caller owns). */
  readonly weights: Readonly<Record<string, tf.Tensor>>;
  readonly optimizer: OptimizerState;
};

type TensorEntry = {readonly shape: number[]; readonly dtype: 'float32' | 'int32'; readonly offset: number; readonly bytes: number};
type TreeJson = number | {readonly $tensor: number} | readonly TreeJson[] | {readonly [key: string]: TreeJson};

/** A short JSON excerpt of a value read from a file (any value: a damaged file holds anything). */
function snippet(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nested too deep to print.
    text = Array.isArray(value) ? 'a deeply nested array' : 'a deeply nested object';
  }
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}

/** The deepest optimizer state tree read (real ones are a few levels deep; deeper is damage). */
const MAX_TREE_DEPTH = 64;

/** The JSON part of a checkpoint file. */
type Header = {
  readonly format: 'trellis/checkpoint';
  readonly version: 1;
  readonly training: TrainingState;
  readonly weights: Readonly<Record<string, number>>;
  readonly optimizer: {readonly step: number; readonly learningRateScale: number; readonly state: TreeJson};
  readonly tensors: readonly TensorEntry[];
  readonly bytes: number;
};

/**
 * Encodes a checkpoint: `{header: JSON text, blob}`, the blob holding every
 * tensor's values little-endian, 4-byte aligned. Reads the tensors back once
 * (`dataSync`); disposes nothing.
 */
export function encodeCheckpoint(checkpoint: Checkpoint): {header: string; blob: Uint8Array} {
  const tensors: tf.Tensor[] = [];
  const add = (t: tf.Tensor): number => {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      throw new DataError(`A checkpoint holds float32 and int32 tensors; got a ${t.dtype} tensor of shape [${t.shape.join(', ')}].`);
    }
    tensors.push(t);
    return tensors.length - 1;
  };
  const weights = Object.fromEntries(Object.entries(checkpoint.weights).map(([name, t]) => [name, add(t)]));
  const tree = (node: StateTree): TreeJson => {
    if (node instanceof tf.Tensor) return {$tensor: add(node)};
    if (typeof node === 'number') return node;
    if (Array.isArray(node)) return node.map(tree);
    return Object.fromEntries(Object.entries(node as Record<string, StateTree>).map(([k, v]) => [k, tree(v)]));
  };
  const state = tree(checkpoint.optimizer.state);
  let offset = 0;
  const entries: TensorEntry[] = tensors.map((t) => {
    const entry = {shape: [...t.shape], dtype: t.dtype as 'float32' | 'int32', offset, bytes: t.size * 4};
    offset += entry.bytes;
    return entry;
  });
  const blob = new Uint8Array(offset);
  tensors.forEach((t, i) => {
    const values = t.dataSync();
    const typed = t.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
    blob.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), entries[i]!.offset);
  });
  const header: Header = {
    format: 'trellis/checkpoint',
    version: 1,
    training: checkpoint.training,
    weights,
    optimizer: {step: checkpoint.optimizer.step, learningRateScale: checkpoint.optimizer.learningRateScale ?? 1, state},
    tensors: entries,
    bytes: offset,
  };
  return {header: JSON.stringify(header), blob};
}

/**
 * Decodes what {@link encodeCheckpoint} made, after checking the header and
 * that the blob has exactly the bytes it declares; makes new tensors only
 * then (owned by the caller).
 * @throws DataError naming `where` and the part that is wrong (bad JSON,
 *   missing fields, a tensor outside the blob, a truncated blob).
 */
export function decodeCheckpoint(headerText: string, blob: Uint8Array, where: string): Checkpoint {
  let header: Header;
  try {
    header = JSON.parse(headerText) as Header;
  } catch (cause) {
    throw new DataError(
      `The checkpoint ${where} has a header that is not JSON (truncated or corrupt). Delete the backup folder to start afresh.`,
      {cause},
    );
  }
  const bad = (part: string): never => {
    throw new DataError(`The checkpoint ${where} is corrupt: ${part}. Delete the backup folder to start afresh.`);
  };
  if (header === null || typeof header !== 'object' || header.format !== 'trellis/checkpoint' || header.version !== 1) {
    bad(`its header is not a trellis/checkpoint version 1 (got ${snippet(header)})`);
  }
  if (!Array.isArray(header.tensors) || typeof header.bytes !== 'number') bad('its tensor table is missing');
  if (blob.byteLength !== header.bytes)
    bad(`its data holds ${blob.byteLength} bytes where the header declares ${header.bytes} (truncated?)`);
  header.tensors.forEach((e, i) => {
    const ok =
      e !== null &&
      typeof e === 'object' &&
      (e.dtype === 'float32' || e.dtype === 'int32') &&
      Array.isArray(e.shape) &&
      e.shape.every((d) => Number.isInteger(d) && d >= 0) &&
      Number.isInteger(e.offset) &&
      e.offset >= 0 &&
      e.offset % 4 === 0 &&
      e.bytes === e.shape.reduce((a, b) => a * b, 1) * 4 &&
      e.offset + e.bytes <= header.bytes;
    if (!ok) bad(`tensor ${i} (${snippet(e)}) does not fit its data`);
  });
  const index = (i: unknown): number => {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= header.tensors.length) bad(`a reference to tensor ${snippet(i)}`);
    return i as number;
  };
  if (header.training === null || typeof header.training !== 'object' || Array.isArray(header.training))
    bad(`its training state is ${snippet(header.training)}, not an object`);
  if (header.weights === null || typeof header.weights !== 'object') bad('its weight table is missing');
  const weightRefs = Object.entries(header.weights).map(([name, i]) => [name, index(i)] as const);
  const opt = header.optimizer;
  if (opt === null || typeof opt !== 'object' || !Number.isInteger(opt.step) || typeof opt.learningRateScale !== 'number')
    bad('its optimizer entry is missing');
  const checkTree = (node: TreeJson, depth: number): void => {
    if (depth > MAX_TREE_DEPTH) bad(`the optimizer state is nested deeper than ${MAX_TREE_DEPTH} levels`);
    if (typeof node === 'number') return;
    if (Array.isArray(node)) return node.forEach((child) => checkTree(child, depth + 1));
    if (node !== null && typeof node === 'object') {
      if ('$tensor' in node) return void index((node as {$tensor: unknown}).$tensor);
      return Object.values(node).forEach((child) => checkTree(child, depth + 1));
    }
    bad(`the optimizer state holds ${snippet(node)}`);
  };
  checkTree(opt.state, 0);
  // Everything checked: make the tensors, only those referenced (an unreferenced one would be owned by nobody).
  const copy = blob.slice();
  const tensors = new Map<number, tf.Tensor>();
  const tensor = (i: number): tf.Tensor => {
    let t = tensors.get(i);
    if (t === undefined) {
      const e = header.tensors[i]!;
      t =
        e.dtype === 'int32'
          ? tf.tensor(new Int32Array(copy.buffer, e.offset, e.bytes / 4), e.shape, 'int32')
          : tf.tensor(new Float32Array(copy.buffer, e.offset, e.bytes / 4), e.shape, 'float32');
      tensors.set(i, t);
    }
    return t;
  };
  const tree = (node: TreeJson): StateTree => {
    if (typeof node === 'number') return node;
    if (Array.isArray(node)) return node.map(tree);
    if ('$tensor' in (node as object)) return tensor((node as {$tensor: number}).$tensor);
    return Object.fromEntries(Object.entries(node as Record<string, TreeJson>).map(([k, v]) => [k, tree(v)]));
  };
  return {
    training: header.training,
    weights: Object.fromEntries(weightRefs.map(([name, i]) => [name, tensor(i)])),
    optimizer: {step: opt.step, state: tree(opt.state), learningRateScale: opt.learningRateScale},
  };
}
