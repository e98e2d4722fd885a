/**
 * The layers a subclassed model tracks (`this.track(layer)`): they build
 * themselves, through the model's weight store, the first time they are
 * called (internal).
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {isMultiInputLayer, type CallContext, type Layer, type MultiInputLayer, type Shape} from '../spec/layer';
import {assignLayerNames} from './layer-names';
import type {WeightStore} from './weight-store';
import {isFrozenWeight} from './layer-weights';
import {ambientContext} from './ambient-context';
import {inferenceContext} from '../training/inference-context';

/** A tracked layer, its own `call` (before wrapping) and what its first call recorded. */
type Entry = {readonly layer: Layer | MultiInputLayer; readonly call: unknown; built: boolean; outputShape: Shape | null};

/** The tracked layers of one model, in tracking order. */
export class TrackedLayers {
  readonly #entries: Entry[] = [];

  constructor(private readonly store: WeightStore) {}

  get size(): number {
    return this.#entries.length;
  }

  /** The layers with the output shape of their first call (null if never called). */
  get entries(): readonly {readonly layer: Layer | MultiInputLayer; readonly outputShape: Shape | null}[] {
    return this.#entries;
  }

  /**
   * Starts tracking `layer`: its `call` is wrapped so that the first call
   * builds it for the shape of its input(s) with weights created by the
   * model (`<layer name>/<weight>`). Tracking the same layer twice is a no-op.
   * Called without a context (inside a model's `call`), the layer gets the
   * running model's context, or an inference context outside any.
   */
  track<L extends Layer | MultiInputLayer>(layer: L): L {
    if (this.#entries.some((e) => e.layer === layer)) return layer;
    const call = layer.call;
    const entry: Entry = {layer, call, built: false, outputShape: null};
    this.#entries.push(entry);
    const store = this.store;
    const wrapped = function (this: L, input: tf.Tensor | readonly tf.Tensor[], given?: Parameters<L['call']>[1]) {
      const context = (given ?? ambientContext() ?? inferenceContext()) as Parameters<L['call']>[1];
      if (!entry.built) {
        const shape = (t: tf.Tensor) => t.shape.slice(1);
        store.buildLayer(layer, isMultiInputLayer(layer) ? (input as readonly tf.Tensor[]).map(shape) : shape(input as tf.Tensor));
        entry.built = true;
      }
      const out = (call as (i: typeof input, c: typeof context) => tf.Tensor).call(layer, input, context);
      entry.outputShape ??= out.shape.slice(1);
      (context as CallContext | undefined)?.recordOutput?.(layer as unknown as Layer, out);
      return out;
    };
    (layer as {call: unknown}).call = wrapped;
    return layer;
  }

  /** Whether `layer` is tracked. */
  has(layer: unknown): boolean {
    return this.#entries.some((e) => e.layer === layer);
  }

  /**
   * Stops tracking every layer, restoring their own `call`, and returns them in
   * tracking order (so an outer model can track the layers of a nested one).
   * Only before the first build.
   */
  release(): (Layer | MultiInputLayer)[] {
    const layers = this.#entries.map((e) => {
      (e.layer as {call: unknown}).call = e.call;
      return e.layer;
    });
    this.#entries.length = 0;
    return layers;
  }

  /** Names the unnamed layers (`dense`, `dense_1`), before the first build. */
  assignNames(): void {
    assignLayerNames(this.#entries.map((e) => e.layer));
  }

  /** Forgets what a failed build recorded (the model disposes the weights). */
  reset(): void {
    for (const e of this.#entries) {
      e.built = false;
      e.outputShape = null;
    }
  }

  /** Whether the tracked layer owning `weightName` (`<layer>/<weight>`) is frozen. */
  isFrozen(weightName: string): boolean {
    return isFrozenWeight(
      weightName,
      this.#entries.map((e) => e.layer),
    );
  }
}
