/**
 * Per-layer statistics of one inspected training step, computed on the
 * device in one go and read back in one transfer.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Json, Layer, StepInspection} from '@trellis/core';

/** What one layer's weights and output did in one step. */
export type LayerStatistics = {
  /** The layer's name (the prefix of its weight names). */
  readonly layer: string;
  /** L2 norm of the gradients of all the layer's trainable weights. */
  readonly gradNorm: number;
  /** The gradients' root mean square, `gradNorm / sqrt(weights)`: comparable across layers of different sizes. */
  readonly gradRms: number;
  /** L2 norm of the layer's trainable weights before the update. */
  readonly weightNorm: number;
  /** `‖w_after − w_before‖ / ‖w_before‖` (NaN when the weights are all zero). */
  readonly updateRatio: number;
  /** NaN and infinite entries among the layer's gradients. */
  readonly nonFinite: number;
  /**
   * For a layer with a ReLU activation: the fraction of its units (last axis)
   * whose output was 0 for every sample of the batch; otherwise null.
   */
  readonly deadRelu: number | null;
};

/** The layer that owns a weight: its name up to the last `/` (`dense_1/kernel` → `dense_1`). */
export function layerOfWeight(weight: string): string {
  const slash = weight.lastIndexOf('/');
  return slash < 0 ? weight : weight.slice(0, slash);
}

const RELU_IDS = new Set(['relu', 'relu6', 'trellis/relu', 'trellis/relu6']);

/** Whether a layer's output is a ReLU's: a layer with `activation: 'relu'` (or relu6), or a ReLU layer without a negative slope. */
export function hasReluOutput(layer: Layer): boolean {
  const spec = (layer as {spec?: {id?: unknown; config?: Record<string, Json>}}).spec;
  const config = spec?.config ?? {};
  const activation = config.activation as Json | undefined;
  if (typeof activation === 'string') return RELU_IDS.has(activation);
  if (activation !== null && typeof activation === 'object' && !Array.isArray(activation)) {
    const id = (activation as {id?: unknown}).id;
    if (typeof id === 'string') return RELU_IDS.has(id);
  }
  // The ReLU layer: `trellis/relu` (and its older id `trellis/reLU`).
  if (spec?.id === 'trellis/relu' || spec?.id === 'trellis/reLU') return !config.negativeSlope;
  return false;
}

/**
 * The statistics of every layer with trainable weights, in the order the
 * layers were called (layers the outputs do not show come last, by weight
 * name). Reads back once (`await`); leaves no tensor behind.
 */
export function layerStatistics(inspection: StepInspection): {order: string[]; sizes: number[]; values: tf.Tensor1D; reluLayers: string[]} {
  const byLayer = new Map<string, string[]>();
  for (const name of Object.keys(inspection.gradients).sort()) {
    const layer = layerOfWeight(name);
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), name]);
  }
  const called = inspection.outputs.map((o) => o.layer.name).filter((name, i, all) => all.indexOf(name) === i);
  const order = [...called.filter((name) => byLayer.has(name)), ...[...byLayer.keys()].filter((name) => !called.includes(name))];
  // The last output of each ReLU layer with weights (a layer called twice: its last call).
  const reluOutputs = new Map<string, tf.Tensor>();
  for (const {layer, output} of inspection.outputs) if (hasReluOutput(layer) && output.rank >= 2) reluOutputs.set(layer.name, output);
  const reluLayers = order.filter((name) => reluOutputs.has(name));
  const sizes = order.map((layer) => byLayer.get(layer)!.reduce((n, name) => n + inspection.gradients[name]!.size, 0));
  const values = tf.tidy(() => {
    const sumSquares = (ts: tf.Tensor[]) => tf.addN(ts.map((t) => tf.sum(tf.square(tf.cast(t, 'float32')))));
    const rows: tf.Tensor[] = [];
    for (const layer of order) {
      const names = byLayer.get(layer)!;
      const grads = names.map((n) => inspection.gradients[n]!);
      const before = names.map((n) => inspection.weightsBefore[n]!);
      const deltas = names.map((n) => tf.sub(inspection.weightsAfter[n]!, inspection.weightsBefore[n]!));
      const weightNorm = tf.sqrt(sumSquares(before));
      // x - x is 0 for a finite x and NaN otherwise.
      const nonFinite = tf.addN(grads.map((g) => tf.sum(tf.cast(tf.notEqual(tf.sub(g, g), 0), 'float32'))));
      rows.push(tf.sqrt(sumSquares(grads)), weightNorm, tf.div(tf.sqrt(sumSquares(deltas)), weightNorm), nonFinite);
    }
    for (const layer of reluLayers) {
      const out = reluOutputs.get(layer)!;
      const units = out.shape[out.rank - 1]!;
      const perUnit = tf.max(tf.reshape(out, [-1, units]), 0);
      rows.push(tf.mean(tf.cast(tf.lessEqual(perUnit, 0), 'float32')));
    }
    return tf.stack(rows.map((r) => tf.reshape(r, []))) as tf.Tensor1D;
  });
  return {order, sizes, values, reluLayers};
}

/** Turns the read-back values of {@link layerStatistics} into one record per layer. */
export function statisticsFromValues(
  order: readonly string[],
  sizes: readonly number[],
  reluLayers: readonly string[],
  values: ArrayLike<number>,
): LayerStatistics[] {
  const dead = new Map(reluLayers.map((name, i) => [name, values[order.length * 4 + i]!]));
  return order.map((layer, i) => ({
    layer,
    gradNorm: values[i * 4]!,
    gradRms: values[i * 4]! / Math.sqrt(Math.max(1, sizes[i]!)),
    weightNorm: values[i * 4 + 1]!,
    updateRatio: values[i * 4 + 2]!,
    nonFinite: values[i * 4 + 3]!,
    deadRelu: dead.get(layer) ?? null,
  }));
}
