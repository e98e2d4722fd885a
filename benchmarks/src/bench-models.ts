/**
 * The benchmark models built with each JavaScript library: Trellis layers and
 * tfjs-layers (`benchmarks/python/keras_bench.py` builds the same ones in
 * Keras 3). Every builder returns an uncompiled model that the caller owns.
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type {Sequential} from 'trellis';
import type {ModelSpec} from './configs';

/**
 * The model in Trellis. The Fashion CNN is `fashionCnn()` of
 * `examples/fashion-cnn`, layer for layer.
 */
export async function trellisModel(spec: ModelSpec): Promise<Sequential> {
  const t = await import('trellis');
  if (spec.kind === 'dense') {
    const last = spec.units.length - 1;
    return new t.Sequential(
      spec.units.map((units, i) =>
        t.dense({units, activation: i < last ? 'relu' : 'softmax', ...(i === 0 ? {inputShape: [spec.inputs]} : {})}),
      ),
    );
  }
  if (spec.kind === 'cnn') {
    return new t.Sequential([
      t.conv2d({filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1]}),
      t.maxPooling2d({poolSize: 2}),
      t.conv2d({filters: 64, kernelSize: 3, activation: 'relu'}),
      t.maxPooling2d({poolSize: 2}),
      t.flatten(),
      t.dense({units: 128, activation: 'relu'}),
      t.dense({units: 10, activation: 'softmax'}),
    ]);
  }
  return new t.Sequential([
    t.layers.randomFlip({mode: 'horizontal', inputShape: [28, 28, 1]}),
    t.layers.randomTranslation({heightFactor: 0.08, widthFactor: 0.08, fillMode: 'constant'}),
    t.conv2d({filters: 32, kernelSize: 3, padding: 'same', useBias: false}),
    t.batchNormalization({momentum: 0.9}),
    t.layers.activation({activation: 'relu'}),
    t.maxPooling2d({poolSize: 2}),
    t.conv2d({filters: 64, kernelSize: 3, padding: 'same', useBias: false}),
    t.batchNormalization({momentum: 0.9}),
    t.layers.activation({activation: 'relu'}),
    t.maxPooling2d({poolSize: 2}),
    t.flatten(),
    t.dropout({rate: 0.3}),
    t.dense({units: 128, activation: 'relu'}),
    t.dense({units: 10, activation: 'softmax'}),
  ]);
}

/**
 * The model in tfjs-layers. tfjs-layers 4.22 has no random flip or
 * translation layer, so its Fashion CNN starts at the first convolution (the
 * augmentation layers have no weights: the parameter count is the same).
 */
export async function layersModel(spec: ModelSpec): Promise<tfl.Sequential> {
  const {layers, sequential} = await import('@tensorflow/tfjs-layers');
  if (spec.kind === 'dense') {
    const last = spec.units.length - 1;
    const model = sequential();
    spec.units.forEach((units, i) => {
      model.add(layers.dense({units, activation: i < last ? 'relu' : 'softmax', ...(i === 0 ? {inputShape: [spec.inputs]} : {})}));
    });
    return model;
  }
  if (spec.kind === 'cnn') {
    return sequential({
      layers: [
        layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1]}),
        layers.maxPooling2d({poolSize: 2}),
        layers.conv2d({filters: 64, kernelSize: 3, activation: 'relu'}),
        layers.maxPooling2d({poolSize: 2}),
        layers.flatten(),
        layers.dense({units: 128, activation: 'relu'}),
        layers.dense({units: 10, activation: 'softmax'}),
      ],
    });
  }
  return sequential({
    layers: [
      layers.conv2d({filters: 32, kernelSize: 3, padding: 'same', useBias: false, inputShape: [28, 28, 1]}),
      layers.batchNormalization({momentum: 0.9}),
      layers.activation({activation: 'relu'}),
      layers.maxPooling2d({poolSize: 2}),
      layers.conv2d({filters: 64, kernelSize: 3, padding: 'same', useBias: false}),
      layers.batchNormalization({momentum: 0.9}),
      layers.activation({activation: 'relu'}),
      layers.maxPooling2d({poolSize: 2}),
      layers.flatten(),
      layers.dropout({rate: 0.3}),
      layers.dense({units: 128, activation: 'relu'}),
      layers.dense({units: 10, activation: 'softmax'}),
    ],
  });
}
