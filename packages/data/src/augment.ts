/**
 * The augmentation of {@link fromTensors}: preprocessing layers run in
 * training mode on every batch's features, as Keras' `ImageDataGenerator.flow`
 * or a `tf.data` map of Keras 3's augmentation layers.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type CallContext, type Layer, type Rng} from '@trellis/core';

/** Layers that transform a batch of features (`layers.randomFlip()`, `layers.randomRotation({factor})`, …). */
export type Augmentation = Layer | readonly Layer[];

/** The layers of `augment` as a list, checked to be layers; ConfigError otherwise. */
export function augmentationLayers(augment: unknown): readonly Layer[] {
  const list = Array.isArray(augment) ? (augment as unknown[]) : [augment];
  for (const layer of list) {
    const l = layer as Partial<Layer> | null;
    if (!l || typeof l.call !== 'function' || typeof l.build !== 'function') {
      throw new ConfigError(
        `fromTensors: augment must be a layer or an array of layers (e.g. layers.randomFlip()); got ${describe(layer)}.`,
      );
    }
  }
  return list as readonly Layer[];
}

/**
 * Runs `layers` in turn on `x` in training mode, each call seeded from `rng`;
 * builds a layer for `x`'s shape on its first batch. Returns a new tensor (the
 * caller owns it and `x`); call it inside `tf.tidy`.
 *
 * @throws ConfigError when a layer asks for weights (augmentation layers have none).
 */
export function augmentBatch(layers: readonly Layer[], built: Set<Layer>, x: tf.Tensor, rng: Rng): tf.Tensor {
  const context: CallContext = {training: true, nextSeed: () => rng.nextSeed()};
  return layers.reduce((t, layer) => {
    if (!built.has(layer)) {
      layer.build(t.shape.slice(1), {
        addWeight: () => {
          throw new ConfigError(
            `fromTensors: augment layer '${layer.name || layer.spec.id}' has weights; augmentation takes layers without weights ` +
              '(randomFlip, randomRotation, randomZoom, randomTranslation, randomContrast, randomBrightness, rescaling…).',
          );
        },
      });
      built.add(layer);
    }
    return layer.call(t, context);
  }, x);
}
