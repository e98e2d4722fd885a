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

/** A tracked layer and what its first call recorded. */
type Entry = {readonly layer: Layer | MultiInputLayer; built: boolean; outputShape: Shape | null};

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
   */
  track<L extends Layer | MultiInputLayer>(layer: L): L {
    if (this.#entries.some((e) => e.layer === layer)) return layer;
    const entry: Entry = {layer, built: false, outputShape: null};
    this.#entries.push(entry);
    const call = layer.call;
    const store = this.store;
    const wrapped = function (this: L, input: tf.Tensor | readonly tf.Tensor[], context: Parameters<L['call']>[1]) {
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
