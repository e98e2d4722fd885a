/**
 * `Sequential`: a stack of layers.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe} from '../errors';
import {checkOptions} from '../options-check';
import type {CallContext, Layer, Shape} from '../spec/layer';
import {Model, weightFacts} from './model';
import {assignLayerNames} from './layer-names';
import {layerTypeName, type LayerFacts} from './summary';
import {isFrozenWeight, weightsOfLayer} from './layer-weights';

/**
 * A plain stack of layers, each feeding the next (Keras' `Sequential`). If the
 * first layer declares `inputShape`, the weights are created on first use
 * (`weights`, `compile`, `fit`...); otherwise from the data of the first
 * `fit`, `evaluate` or `predict`. Layers can be added until then.
 *
 * @example
 * const model = new Sequential([
 *   dense({units: 128, activation: 'relu', inputShape: [784]}),
 *   dense({units: 10, activation: 'softmax'}),
 * ]);
 */
export class Sequential extends Model {
  readonly #layers: Layer[] = [];
  readonly #outputShapes = new Map<Layer, Shape>();

  constructor(layers: readonly Layer[] = [], options: {name?: string} = {}) {
    super(checkOptions('Sequential', options, ['name']).name === undefined ? 'sequential' : checkName(options.name));
    if (!Array.isArray(layers)) throw new ConfigError(`Sequential expects an array of layers; got ${describe(layers)}.`);
    for (const layer of layers) this.add(layer);
  }

  /** The layers, in order. */
  get layers(): readonly Layer[] {
    return this.#layers;
  }

  /** Appends a layer (before the model is built). */
  add(layer: Layer): void {
    if (!isLayer(layer)) {
      throw new ConfigError(`Sequential layers must be layers (e.g. dense({units: 10})); got ${describe(layer)}.`);
    }
    if (this.built) throw new ConfigError(`Cannot add layer '${layer.name || layer.spec.id}' to a built model.`);
    if (this.#layers.includes(layer)) throw new ConfigError(`Layer '${layer.name}' is already in this model.`);
    if (this.#layers.length > 0 && layer.inputShape) {
      throw new ConfigError(`Only the first layer may declare inputShape; layer ${this.#layers.length} does.`);
    }
    this.#layers.push(layer);
  }

  protected override declaredInputShape(): Shape | undefined {
    return this.#layers[0]?.inputShape;
  }

  /** Layer by name. */
  getLayer(name: string): Layer {
    const layer = this.#layers.find((l) => l.name === name);
    if (!layer) {
      throw new ConfigError(`No layer named '${name}'; layers: ${this.#layers.map((l) => l.name).join(', ')}.`);
    }
    return layer;
  }

  protected override buildLayers(inputShape: Shape): Shape {
    if (this.#layers.length === 0) throw new ConfigError('A Sequential model needs at least one layer.');
    assignLayerNames(this.#layers);
    let shape = inputShape;
    for (const layer of this.#layers) {
      shape = this.store.buildLayer(layer, shape);
      this.#outputShapes.set(layer, shape);
    }
    return shape;
  }

  protected override isFrozen(weightName: string): boolean {
    return isFrozenWeight(weightName, this.#layers);
  }

  protected override summaryLayers(): LayerFacts[] {
    const weights = this.weights;
    return this.#layers.map((layer) => ({
      name: layer.name,
      type: layerTypeName(layer.spec.id),
      outputShape: this.#outputShapes.get(layer)!,
      weights: weightFacts(weightsOfLayer(weights, layer.name)),
    }));
  }

  call(x: tf.Tensor, context: CallContext): tf.Tensor {
    let out = x;
    for (const layer of this.#layers) {
      out = layer.call(out, context);
      context.recordOutput?.(layer, out);
    }
    return out;
  }
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new ConfigError(`Sequential: name must be a non-empty string; got ${describe(name)}.`);
  return name;
}

function isLayer(v: unknown): v is Layer {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as Layer).build === 'function' &&
    typeof (v as Layer).call === 'function' &&
    typeof (v as Layer).spec?.id === 'string'
  );
}
