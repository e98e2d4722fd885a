/**
 * The MNIST MLP of the main job (784-512-128-10, relu, softmax), and moving
 * its weights between Trellis (names like `dense_1/kernel`) and Keras (one
 * `{kernel, bias}` per layer, in order).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, dense, type NamedTensors} from 'trellis';
import {toTensor} from './cases';
import type {HostTensor, TreeOut} from './tensor-tree';
import {toHost} from './tensor-tree';

/** A fresh, unbuilt MLP: dense 512 relu, dense 128 relu, dense 10 softmax. */
export function mnistMlp(): Sequential {
  return new Sequential([
    dense({units: 512, activation: 'relu', inputShape: [784]}),
    dense({units: 128, activation: 'relu'}),
    dense({units: 10, activation: 'softmax'}),
  ]);
}

/** The model's weights as one `{kernel, bias}` of host tensors per layer (Keras' order), read asynchronously. */
export async function weightsPerLayer(model: Sequential): Promise<Record<string, HostTensor>[]> {
  const byName = model.getWeights();
  try {
    return await Promise.all(
      model.layers.map(async (layer) => {
        const prefix = `${layer.name}/`;
        const own = Object.entries(byName).filter(([name]) => name.startsWith(prefix));
        return Object.fromEntries(await Promise.all(own.map(async ([name, t]) => [name.slice(prefix.length), await toHost(t)] as const)));
      }),
    );
  } finally {
    tf.dispose(Object.values(byName));
  }
}

/** Keras' per-layer weights (or ours) back as Trellis names: `{'dense_1/kernel': …}`. */
function namedWeights(model: Sequential, perLayer: readonly Record<string, HostTensor | TreeOut>[]): Record<string, HostTensor> {
  const named: Record<string, HostTensor> = {};
  model.layers.forEach((layer, i) => {
    for (const [weight, values] of Object.entries(perLayer[i] ?? {})) named[`${layer.name}/${weight}`] = values as HostTensor;
  });
  return named;
}

/**
 * Sets the built model's weights from one `{kernel, bias}` per layer (Keras'
 * order, as {@link weightsPerLayer} reads them); the tensors it makes for
 * `setWeights` are disposed once they are set.
 */
export function setWeightsPerLayer(model: Sequential, perLayer: readonly Record<string, HostTensor | TreeOut>[]): void {
  const values = tf.tidy(() => Object.fromEntries(Object.entries(namedWeights(model, perLayer)).map(([w, v]) => [w, toTensor(v)])));
  try {
    model.setWeights(values as NamedTensors);
  } finally {
    tf.dispose(Object.values(values));
  }
}
