/**
 * The model's weights: variables created on behalf of layers, keyed by
 * `<layer>/<weight>`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, ShapeError, describe} from '../errors';
import {nextSeed} from '../seed';
import type {Constraint} from '../spec/constraint';
import type {BuildContext, WeightRequest} from '../spec/layer';
import type {Regularizer} from '../spec/regularizer';

/** A weight of a model. The model owns `variable` and disposes it. */
export interface Weight {
  /** `<layer>/<weight>`, e.g. `dense_1/kernel`. */
  readonly name: string;
  readonly variable: tf.Variable;
  /** Whether the optimizer updates it. */
  trainable: boolean;
  readonly regularizer?: Regularizer;
  readonly constraint?: Constraint;
}

/** Creates and holds a model's variables. */
export class WeightStore {
  readonly #weights = new Map<string, Weight>();

  /** The build context a layer named `layerName` receives. */
  contextFor(layerName: string): BuildContext {
    return {addWeight: (request) => this.#add(layerName, request)};
  }

  /** All weights in creation order. */
  all(): Weight[] {
    return [...this.#weights.values()];
  }

  get(name: string): Weight | undefined {
    return this.#weights.get(name);
  }

  /** Disposes every variable. */
  dispose(): void {
    for (const w of this.#weights.values()) w.variable.dispose();
    this.#weights.clear();
  }

  #add(layerName: string, request: WeightRequest): tf.Variable {
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
    const dtype = request.dtype ?? 'float32';
    const initial = request.initializer(shape, dtype, nextSeed());
    if (!tf.util.arraysEqual(initial.shape, shape) || initial.dtype !== dtype) {
      const got = `[${initial.shape.join(', ')}] ${initial.dtype}`;
      initial.dispose();
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
    return variable;
  }
}
