/**
 * One training step of `fit`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError} from '../errors';
import type {Model} from '../model/model';
import type {Compiled} from '../model/options';
import type {CallContext} from '../spec/layer';
import type {Rng} from '../seed';
import {AddedLosses} from './added-losses';
import {sliceRows} from './batches';
import {StateUpdates} from './state-updates';

/**
 * One training step: forward, loss, gradients, update, then the layers'
 * non-trainable state updates (`CallContext.updateState`). The loss is the
 * mean per-sample loss plus the penalties the layers add in the forward pass
 * (`CallContext.addLoss`) plus the weights' regularization penalties, all at
 * the weights before the update, as Keras computes and reports it. Returns
 * kept tensors the caller disposes.
 */
export type Step = (
  x: tf.Tensor,
  y: tf.Tensor,
  indices: Int32Array | null,
  start: number,
  size: number,
) => {loss: tf.Scalar; pred: tf.Tensor; yb: tf.Tensor};

export function createStep(model: Model, compiled: Compiled, rng: Rng): Step {
  const trainable = model.trainableWeights;
  if (trainable.length === 0) {
    throw new ConfigError(`Model '${model.name}' has no trainable weights; nothing to fit.`);
  }
  const variables = Object.fromEntries(trainable.map((w) => [w.name, w.variable]));
  const varList = trainable.map((w) => w.variable);
  const ourName = new Map(trainable.map((w) => [w.variable.name, w.name]));
  const regularized = model.weights.filter((w) => w.regularizer);
  const constrained = model.weights.filter((w) => w.constraint);
  const updates = new StateUpdates(model.weights);
  const added = new AddedLosses();
  const context: CallContext = {
    training: true,
    nextSeed: () => rng.nextSeed(),
    updateState: updates.record,
    addLoss: added.record,
  };
  if (!compiled.optimizer.initialized) compiled.optimizer.init(variables);

  return (x, y, indices, start, size) => {
    let pred: tf.Tensor | undefined;
    let yb: tf.Tensor | undefined;
    let computed: {value: tf.Scalar; grads: tf.NamedTensorMap};
    try {
      computed = tf.tidy(() => {
        let xb: tf.Tensor;
        if (indices) {
          const idx = tf.tensor1d(indices, 'int32');
          xb = tf.gather(x, idx);
          yb = tf.keep(tf.gather(y, idx));
        } else {
          xb = sliceRows(x, start, size);
          yb = tf.keep(sliceRows(y, start, size));
        }
        return tf.variableGrads(() => {
          added.begin();
          const out = model.call(xb, context);
          pred = tf.keep(out);
          let total = added.sumInto(tf.mean(compiled.loss(yb!, out)) as tf.Scalar);
          for (const w of regularized) total = tf.add(total, w.regularizer!(w.variable)) as tf.Scalar;
          return total;
        }, varList);
      });
    } catch (error) {
      updates.discard();
      tf.dispose([pred!, yb!].filter(Boolean));
      throw error;
    } finally {
      added.clear();
    }
    const {value, grads} = computed;
    try {
      const named: Record<string, tf.Tensor> = {};
      for (const v of varList) named[ourName.get(v.name)!] = grads[v.name] ?? tf.zerosLike(v);
      compiled.optimizer.applyGradients(named, variables);
      for (const w of constrained) {
        const projected = tf.tidy(() => w.constraint!(w.variable));
        w.variable.assign(projected);
        projected.dispose();
      }
      for (const v of varList) if (!grads[v.name]) named[ourName.get(v.name)!]!.dispose();
      updates.apply();
    } catch (error) {
      updates.discard();
      tf.dispose([value, pred!, yb!]);
      throw error;
    } finally {
      tf.dispose(Object.values(grads));
    }
    return {loss: value, pred: pred!, yb: yb!};
  };
}
