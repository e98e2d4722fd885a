import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry, type Layer} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {batchNormalization, embedding, layerNormalization, layersPlugin} from './index';
import {createBuildContext} from '../test/testing';

/** The initial values of the weights `layer` creates for `inputShape`, by weight name. */
function initialWeights(layer: Layer, inputShape: number[], seed: number): Map<string, Float32Array | Int32Array | Uint8Array> {
  const context = createBuildContext('layer', seed);
  layer.build(inputShape, context);
  const values = new Map([...context.weights].map(([name, v]) => [name, v.dataSync() as Float32Array]));
  tf.dispose([...context.weights.values()]);
  return values;
}

describe('default initializers of the layers', () => {
  it('ones: batchNormalization gamma and moving variance, layerNormalization gamma, with or without a registry', () => {
    const registry = createRegistry(layersPlugin);
    for (const layer of [batchNormalization(), registry.resolve('layer', batchNormalization().spec) as Layer]) {
      const weights = initialWeights(layer, [2, 3], 7);
      expect(Array.from(weights.get('gamma')!)).toEqual([1, 1, 1]);
      expect(Array.from(weights.get('moving_variance')!)).toEqual([1, 1, 1]);
    }
    for (const layer of [layerNormalization(), registry.resolve('layer', layerNormalization().spec) as Layer]) {
      expect(Array.from(initialWeights(layer, [5], 7).get('gamma')!)).toEqual([1, 1, 1, 1, 1]);
    }
    expect(batchNormalization().spec.config).toMatchObject({
      gammaInitializer: {id: 'trellis/ones', config: {}},
      movingVarianceInitializer: {id: 'trellis/ones', config: {}},
    });
  });

  it('randomUniform: embedding weights are tf.randomUniform(±0.05) with the build seed, bit for bit', () => {
    const registry = createRegistry(layersPlugin);
    const layer = embedding({inputDim: 6, outputDim: 4});
    expect(layer.spec.config).toMatchObject({embeddingsInitializer: {id: 'trellis/randomUniform', config: {minval: -0.05, maxval: 0.05}}});
    const expected = tf.randomUniform([6, 4], -0.05, 0.05, 'float32', 99);
    for (const l of [layer, registry.resolve('layer', layer.spec) as Layer]) {
      expect(Array.from(initialWeights(l, [3], 99).get('embeddings')!)).toEqual(Array.from(expected.dataSync()));
    }
    expected.dispose();
  });
});
