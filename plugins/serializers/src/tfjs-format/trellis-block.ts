/**
 * The `trellis` block of `userDefinedMetadata`: what Trellis adds to a
 * tfjs layers model (compile config, optimizer state by name, metadata).
 * tfjs-layers keeps it as the model's user-defined metadata and ignores it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {FormatError, describeValue, type Json, type Spec, type StateTree} from '@trellis/core';
import {isObject} from '../keras-config/types';

/** What kind of file the block describes. */
export type TrellisFileKind = 'model' | 'weights' | 'artifacts';

/** A compiled model's settings, as specs. */
export type CompileConfig = {
  readonly optimizer: Spec;
  /** One loss per output. */
  readonly losses: readonly Spec[];
  /** The output names of a model with several outputs, else null. */
  readonly outputNames: readonly string[] | null;
  readonly lossWeights: readonly number[] | null;
  /** The compiled metrics with their log names; `weighted` ones got sample weights. */
  readonly metrics: readonly {readonly name: string; readonly spec: Spec; readonly weighted: boolean}[];
};

/** A state tree with its tensors replaced by the names of their manifest entries. */
export type StateNode =
  | {readonly t: string}
  | {readonly n: number}
  | {readonly a: readonly StateNode[]}
  | {readonly r: {readonly [key: string]: StateNode}};

/** The optimizer's state: its step, its learning-rate factor and its tree. */
export type OptimizerBlock = {readonly step: number; readonly learningRateScale?: number; readonly state: StateNode};

/** The `userDefinedMetadata.trellis` block. */
export type TrellisBlock = {
  readonly format: 'trellis/v1';
  readonly kind: TrellisFileKind;
  /** The `@trellis/serializers` version that wrote it. */
  readonly version: string;
  /** ISO 8601 date of the save. */
  readonly date: string;
  /** The tfjs backend the model lived on (`cpu`, `wasm`, `tensorflow`). */
  readonly backend: string | null;
  readonly compile?: CompileConfig;
  readonly optimizer?: OptimizerBlock;
  /** A serializer's specs and metadata (kind `artifacts`). */
  readonly specs?: Readonly<Record<string, Spec>>;
  readonly meta?: Json;
};

const MAX_DEPTH = 32;

/**
 * `tree` as a {@link StateNode}, with each tensor listed in `tensors` under a
 * unique name starting with `prefix` (`optimizer/0/mu/dense/kernel`).
 */
export function encodeState(tree: StateTree, prefix: string, tensors: {name: string; tensor: tf.Tensor}[]): StateNode {
  const taken = new Set(tensors.map((t) => t.name));
  const walk = (node: StateTree, path: string): StateNode => {
    if (node instanceof tf.Tensor) {
      let name = path;
      for (let i = 1; taken.has(name); i++) name = `${path}_${i}`;
      taken.add(name);
      tensors.push({name, tensor: node});
      return {t: name};
    }
    if (typeof node === 'number') return {n: node};
    if (Array.isArray(node)) return {a: node.map((c, i) => walk(c, `${path}/${i}`))};
    return {r: Object.fromEntries(Object.entries(node as Record<string, StateTree>).map(([k, c]) => [k, walk(c, `${path}/${k}`)]))};
  };
  return walk(tree, prefix);
}

/** The state tree of `node` with the tensors of `tensors` (which stay owned by the caller). */
export function decodeState(node: StateNode, tensors: tf.NamedTensorMap): StateTree {
  if ('t' in node) return tensors[node.t]!;
  if ('n' in node) return node.n;
  if ('a' in node) return node.a.map((c) => decodeState(c, tensors));
  return Object.fromEntries(Object.entries(node.r).map(([k, c]) => [k, decodeState(c, tensors)]));
}

/**
 * Checks the `trellis` block of `metadata` (`file` names it in errors): its
 * fields, and that every tensor the optimizer state names is in `optimizerNames`.
 * Returns null when there is no block (a file written by tfjs-layers).
 * @throws FormatError naming the part.
 */
export function readTrellisBlock(metadata: unknown, file: string, optimizerNames: ReadonlySet<string>): TrellisBlock | null {
  if (!isObject(metadata) || metadata.trellis === undefined) return null;
  const block = metadata.trellis;
  const where = `${file}: userDefinedMetadata.trellis`;
  if (!isObject(block) || block.format !== 'trellis/v1')
    throw new FormatError(`${where}: expected {format: 'trellis/v1', ...}; got ${describeValue(block)}.`);
  if (block.kind !== 'model' && block.kind !== 'weights' && block.kind !== 'artifacts')
    throw new FormatError(`${where}.kind: expected 'model', 'weights' or 'artifacts'; got ${describeValue(block.kind)}.`);
  if (block.compile !== undefined) checkCompile(block.compile, `${where}.compile`);
  if (block.optimizer !== undefined) {
    const o = block.optimizer;
    if (!isObject(o) || !Number.isInteger(o.step) || (o.step as number) < 0)
      throw new FormatError(`${where}.optimizer: expected {step: integer >= 0, state}; got ${describeValue(o)}.`);
    if (o.learningRateScale !== undefined && (typeof o.learningRateScale !== 'number' || !Number.isFinite(o.learningRateScale))) {
      throw new FormatError(`${where}.optimizer.learningRateScale must be a finite number; got ${describeValue(o.learningRateScale)}.`);
    }
    checkStateNode(o.state, `${where}.optimizer.state`, optimizerNames, 0);
  }
  if (block.specs !== undefined) {
    if (!isObject(block.specs)) throw new FormatError(`${where}.specs must be an object of specs; got ${describeValue(block.specs)}.`);
    for (const [k, s] of Object.entries(block.specs)) checkSpecJson(s, `${where}.specs.${k}`);
  }
  return block as unknown as TrellisBlock;
}

function checkSpecJson(value: unknown, where: string): void {
  if (!isObject(value) || typeof value.id !== 'string')
    throw new FormatError(`${where}: expected a {id, config} spec; got ${describeValue(value)}.`);
}

function checkCompile(value: unknown, where: string): void {
  if (!isObject(value)) throw new FormatError(`${where}: expected an object; got ${describeValue(value)}.`);
  checkSpecJson(value.optimizer, `${where}.optimizer`);
  if (!Array.isArray(value.losses) || value.losses.length === 0)
    throw new FormatError(`${where}.losses: expected a non-empty array of specs.`);
  value.losses.forEach((l, i) => checkSpecJson(l, `${where}.losses[${i}]`));
  if (value.outputNames !== null && (!Array.isArray(value.outputNames) || !value.outputNames.every((n) => typeof n === 'string'))) {
    throw new FormatError(`${where}.outputNames: expected null or an array of names.`);
  }
  if (value.lossWeights !== null && (!Array.isArray(value.lossWeights) || !value.lossWeights.every((n) => typeof n === 'number'))) {
    throw new FormatError(`${where}.lossWeights: expected null or an array of numbers.`);
  }
  if (!Array.isArray(value.metrics)) throw new FormatError(`${where}.metrics: expected an array.`);
  value.metrics.forEach((m, i) => {
    if (!isObject(m) || typeof m.name !== 'string' || typeof m.weighted !== 'boolean')
      throw new FormatError(`${where}.metrics[${i}]: expected {name, spec, weighted}.`);
    checkSpecJson(m.spec, `${where}.metrics[${i}].spec`);
  });
}

function checkStateNode(node: unknown, where: string, names: ReadonlySet<string>, depth: number): void {
  if (depth > MAX_DEPTH) throw new FormatError(`${where}: nested deeper than ${MAX_DEPTH} levels.`);
  if (!isObject(node)) throw new FormatError(`${where}: expected a state node; got ${describeValue(node)}.`);
  const keys = Object.keys(node);
  if (keys.length !== 1) throw new FormatError(`${where}: expected one of {t}, {n}, {a}, {r}; got keys [${keys.join(', ')}].`);
  if ('t' in node) {
    if (typeof node.t !== 'string' || !names.has(node.t))
      throw new FormatError(`${where}: names the tensor ${describeValue(node.t)}, which is not an optimizer weight of the manifest.`);
  } else if ('n' in node) {
    if (typeof node.n !== 'number' || !Number.isFinite(node.n))
      throw new FormatError(`${where}: expected a finite number; got ${describeValue(node.n)}.`);
  } else if ('a' in node) {
    if (!Array.isArray(node.a)) throw new FormatError(`${where}.a: expected an array.`);
    node.a.forEach((c, i) => checkStateNode(c, `${where}[${i}]`, names, depth + 1));
  } else if ('r' in node) {
    if (!isObject(node.r)) throw new FormatError(`${where}.r: expected an object.`);
    for (const [k, c] of Object.entries(node.r)) checkStateNode(c, `${where}.${k}`, names, depth + 1);
  } else {
    throw new FormatError(`${where}: expected one of {t}, {n}, {a}, {r}; got keys [${keys.join(', ')}].`);
  }
}
