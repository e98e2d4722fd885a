/**
 * The model's weights: variables created on behalf of layers, keyed by
 * `<layer>/<weight>`. A layer's weights belong to the layer object: a layer
 * used by several models (Keras' transfer-learning recipe
 * `new Sequential([...a.layers.slice(0, -1), dense(...)])`) is built once and
 * every model that holds it uses the same variables.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, ShapeError, describe} from '../errors';
import {nextSeed} from '../seed';
import type {Constraint} from '../spec/constraint';
import {isMultiInputLayer, type BuildContext, type Layer, type MultiInputLayer, type Shape, type WeightRequest} from '../spec/layer';
import type {Regularizer} from '../spec/regularizer';
import {outputShapeOf} from '../output-shape';
import {chargeWeight} from './weight-budget';

/** A weight of a model. The layer's models share `variable`; the last of them to be disposed disposes it. */
export interface Weight {
  /** `<layer>/<weight>`, e.g. `dense_1/kernel`. */
  readonly name: string;
  readonly variable: tf.Variable;
  /** Whether the optimizer updates it. */
  trainable: boolean;
  readonly regularizer?: Regularizer;
  readonly constraint?: Constraint;
}

/** What building a layer made: its weights, for which shapes, and the stores (models) that use them. */
type LayerBuild = {
  readonly layer: object;
  readonly inputKey: string;
  readonly inputShapes: string;
  readonly outputShape: Shape;
  readonly weights: readonly Weight[];
  readonly users: Set<WeightStore>;
};

const BUILDS_KEY = Symbol.for('@trellis/core/layer-builds@1');

/** The builds of every layer, shared by every copy of `@trellis/core` in the process. */
function layerBuilds(): WeakMap<object, LayerBuild> {
  const g = globalThis as Record<symbol, WeakMap<object, LayerBuild> | undefined>;
  return (g[BUILDS_KEY] ??= new WeakMap());
}

/** Creates and holds a model's variables. */
export class WeightStore {
  readonly #weights = new Map<string, Weight>();
  readonly #builds = new Set<LayerBuild>();

  /**
   * The build context a layer named `layerName` receives: weights it adds
   * belong to this store alone. Models build their layers with
   * {@link WeightStore.buildLayer}, which shares them.
   */
  contextFor(layerName: string): BuildContext {
    return {addWeight: (request) => this.#add(layerName, request).variable};
  }

  /**
   * Builds `layer` for inputs of shape(s) `inputShape` (without batch) and
   * returns its output shape. A layer already built (by this or another
   * model) is not built again: its weights join this store, shared, and the
   * output shape of that build is returned. A shared layer with weights must
   * get the shapes it was built for; one without weights is only asked for
   * its output shape.
   * @throws ShapeError for shapes a built layer with weights cannot take; whatever `layer.build` throws
   *   (the weights that build made are then disposed).
   */
  buildLayer(layer: Layer | MultiInputLayer, inputShape: Shape | readonly Shape[]): Shape {
    const builds = layerBuilds();
    const key = JSON.stringify(inputShape);
    const previous = builds.get(layer);
    if (previous) {
      if (previous.inputKey !== key) {
        if (previous.weights.length > 0) {
          throw new ShapeError(
            `Layer '${layer.name}' was built for inputs ${previous.inputShapes} and its weights have that size; ` +
              `it cannot take ${describeShapes(inputShape)}. Apply a new layer to this input, or share the layer only between inputs of the same shape.`,
          );
        }
        return isMultiInputLayer(layer)
          ? outputShapeOf(layer, inputShape as readonly Shape[])
          : outputShapeOf(layer as Layer, inputShape as Shape);
      }
      this.#adopt(previous);
      return previous.outputShape;
    }
    const made: Weight[] = [];
    const context: BuildContext = {
      addWeight: (request) => {
        const weight = this.#add(layer.name, request);
        made.push(weight);
        return weight.variable;
      },
    };
    let outputShape: Shape;
    try {
      outputShape = isMultiInputLayer(layer)
        ? layer.build(inputShape as readonly Shape[], context)
        : (layer as Layer).build(inputShape as Shape, context);
    } catch (error) {
      for (const w of made) {
        this.#weights.delete(w.name);
        w.variable.dispose();
      }
      throw error;
    }
    const build: LayerBuild = {
      layer,
      inputKey: key,
      inputShapes: describeShapes(inputShape),
      outputShape: [...outputShape],
      weights: made,
      users: new Set(),
    };
    builds.set(layer, build);
    this.#adopt(build);
    return build.outputShape;
  }

  /** All weights in creation order. */
  all(): Weight[] {
    return [...this.#weights.values()];
  }

  get(name: string): Weight | undefined {
    return this.#weights.get(name);
  }

  /**
   * Lets go of every weight: variables no other model uses are disposed;
   * those of layers shared with a model still alive stay with it.
   */
  dispose(): void {
    const shared = new Set<Weight>();
    const builds = layerBuilds();
    for (const build of this.#builds) {
      build.users.delete(this);
      if (build.users.size > 0) {
        for (const w of build.weights) shared.add(w);
      } else {
        if (builds.get(build.layer) === build) builds.delete(build.layer);
      }
    }
    for (const w of this.#weights.values()) if (!shared.has(w) && !w.variable.isDisposed) w.variable.dispose();
    this.#weights.clear();
    this.#builds.clear();
  }

  /** Adds the weights of `build` to this store (a no-op when they are here already). */
  #adopt(build: LayerBuild): void {
    if (this.#builds.has(build)) return;
    for (const w of build.weights) {
      const here = this.#weights.get(w.name);
      if (here && here !== w) {
        throw new ConfigError(`Two layers of this model both own a weight named '${w.name}'; give the layers distinct names.`);
      }
    }
    for (const w of build.weights) this.#weights.set(w.name, w);
    build.users.add(this);
    this.#builds.add(build);
  }

  #add(layerName: string, request: WeightRequest): Weight {
    if (!request || typeof request.name !== 'string' || request.name === '' || request.name.includes('/')) {
      throw new ConfigError(`Layer '${layerName}' asked for a weight without a valid name (no '/'); got ${describe(request?.name)}.`);
    }
    const name = `${layerName}/${request.name}`;
    if (this.#weights.has(name)) {
      throw new ConfigError(`Layer '${layerName}' created the weight '${request.name}' twice; weight names must be unique per layer.`);
    }
    const shape = [...request.shape];
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(`Weight '${name}' needs a shape of non-negative integers; got [${shape.join(', ')}].`);
    }
    chargeWeight(name, shape);
    const dtype = request.dtype ?? 'float32';
    const initial = request.initializer(shape, dtype, nextSeed());
    if (!(initial instanceof tf.Tensor) || !tf.util.arraysEqual(initial.shape, shape) || initial.dtype !== dtype) {
      const got = initial instanceof tf.Tensor ? `[${initial.shape.join(', ')}] ${initial.dtype}` : describe(initial);
      if (initial instanceof tf.Tensor) initial.dispose();
      throw new DTypeError(`The initializer of '${name}' returned ${got}; expected [${shape.join(', ')}] ${dtype}.`);
    }
    const trainable = request.trainable ?? true;
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    const weight: Weight = {
      name,
      variable,
      trainable,
      ...(request.regularizer ? {regularizer: request.regularizer} : {}),
      ...(request.constraint ? {constraint: request.constraint} : {}),
    };
    this.#weights.set(name, weight);
    return weight;
  }
}

function describeShapes(shape: Shape | readonly Shape[]): string {
  const one = (s: Shape) => `[batch${s.map((d) => `, ${d}`).join('')}]`;
  return Array.isArray(shape[0]) ? (shape as readonly Shape[]).map(one).join(' and ') : one(shape as Shape);
}
