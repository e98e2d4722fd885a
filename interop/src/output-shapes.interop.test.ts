// computeOutputShape of every layer against Keras' layer.compute_output_shape((None, *shape)):
// one or more representative configurations per registered layer id, the Keras layer
// created from the Trellis spec and never built. Shapes only: no backend is involved.
//
// RandomCrop: both declare the cropped shape [height, width, channels], also for images
// smaller than the crop. Outside training both pass images through uncropped (Keras 3.15
// does so although it declares the cropped shape), so the declared shape is the training
// output's; the inference output differs from it in both libraries.
import {batchNormalization, conv2d, dense, dropout, flatten, layers, maxPooling2d, type Layer, type MultiInputLayer} from 'trellis';
import {createRegistry, isMultiInputLayer, outputShapeOf} from '@trellis/core';
import {layersPlugin} from '@trellis/layers';
import {beforeAll, describe, expect, it} from 'vitest';
import {field} from './harness/compare';
import {kerasLayer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import {MERGE_SHAPES} from './harness/merge-cases';
import type {TreeOut} from './harness/tensor-tree';

/** One layer on one input shape, or a merge layer on one shape per input (all without batch). */
type ShapeCase =
  | {readonly make: () => Layer; readonly inputShape: number[]}
  | {readonly make: () => MultiInputLayer; readonly inputShapes: number[][]};

const cases: Record<string, ShapeCase> = {
  activation: {make: () => layers.activation({activation: 'tanh'}), inputShape: [4, 3]},
  add: {make: () => layers.add(), inputShapes: [[4, 1], [1, 5], [5]]},
  alphaDropout: {make: () => layers.alphaDropout({rate: 0.2}), inputShape: [5, 2]},
  average: {
    make: () => layers.average(),
    inputShapes: [
      [3, 2],
      [3, 2],
    ],
  },
  averagePooling1d: {make: () => layers.averagePooling1d({poolSize: 3, strides: 2}), inputShape: [10, 4]},
  averagePooling1dSame: {make: () => layers.averagePooling1d({poolSize: 3, strides: 2, padding: 'same'}), inputShape: [10, 4]},
  averagePooling2d: {make: () => layers.averagePooling2d({poolSize: 2, padding: 'same'}), inputShape: [7, 6, 3]},
  batchNormalization: {make: () => batchNormalization({axis: 1}), inputShape: [4, 3, 2]},
  concatenate: MERGE_SHAPES.concatenateLastAxis,
  concatenateAxis1: MERGE_SHAPES.concatenateAxis1,
  conv1d: {make: () => layers.conv1d({filters: 6, kernelSize: 3, strides: 2}), inputShape: [11, 2]},
  conv1dDilated: {make: () => layers.conv1d({filters: 2, kernelSize: 3, dilationRate: 3, padding: 'same'}), inputShape: [11, 2]},
  conv2d: {make: () => conv2d({filters: 4, kernelSize: [3, 2], padding: 'same', strides: [2, 1]}), inputShape: [9, 8, 3]},
  conv2dValidDilated: {make: () => conv2d({filters: 4, kernelSize: 3, dilationRate: [2, 1]}), inputShape: [9, 8, 3]},
  conv2dTranspose: {make: () => layers.conv2dTranspose({filters: 3, kernelSize: 3, strides: 2}), inputShape: [4, 5, 2]},
  conv2dTransposeSame: {
    make: () => layers.conv2dTranspose({filters: 3, kernelSize: 2, strides: 3, padding: 'same'}),
    inputShape: [4, 5, 2],
  },
  conv2dTransposeSmallKernel: {make: () => layers.conv2dTranspose({filters: 1, kernelSize: 2, strides: 3}), inputShape: [4, 5, 2]},
  cropping2d: {
    make: () =>
      layers.cropping2d({
        cropping: [
          [1, 2],
          [0, 1],
        ],
      }),
    inputShape: [6, 5, 3],
  },
  dense: {make: () => dense({units: 7}), inputShape: [4, 3]},
  depthwiseConv2d: {make: () => layers.depthwiseConv2d({kernelSize: 2, depthMultiplier: 3, strides: [2, 1]}), inputShape: [5, 4, 2]},
  dropout: {make: () => dropout({rate: 0.5, noiseShape: [null, 1, 3]}), inputShape: [4, 3]},
  eluLayer: {make: () => layers.elu(), inputShape: [6]},
  embedding: {make: () => layers.embedding({inputDim: 10, outputDim: 4}), inputShape: [2, 3]},
  flatten: {make: () => flatten(), inputShape: [4, 3, 2]},
  gaussianDropout: {make: () => layers.gaussianDropout({rate: 0.3}), inputShape: [2, 2]},
  gaussianNoise: {make: () => layers.gaussianNoise({stddev: 0.1}), inputShape: [3]},
  globalAveragePooling1d: {make: () => layers.globalAveragePooling1d({keepdims: true}), inputShape: [7, 3]},
  globalAveragePooling2d: {make: () => layers.globalAveragePooling2d(), inputShape: [5, 4, 3]},
  globalMaxPooling1d: {make: () => layers.globalMaxPooling1d(), inputShape: [7, 3]},
  globalMaxPooling2d: {make: () => layers.globalMaxPooling2d({keepdims: true}), inputShape: [5, 4, 3]},
  layerNormalization: {make: () => layers.layerNormalization({axis: [-2, -1]}), inputShape: [4, 3]},
  leakyReLU: {make: () => layers.leakyRelu({negativeSlope: 0.1}), inputShape: [2, 3]},
  maxPooling1d: {make: () => layers.maxPooling1d({poolSize: 2}), inputShape: [9, 2]},
  maxPooling2d: {make: () => maxPooling2d({poolSize: [2, 3]}), inputShape: [6, 7, 1]},
  maxPooling2dStrides: {make: () => maxPooling2d({poolSize: 3, strides: [1, 2], padding: 'same'}), inputShape: [6, 7, 1]},
  maximum: MERGE_SHAPES.maximumBroadcast,
  minimum: {make: () => layers.minimum(), inputShapes: [[5], [5]]},
  multiply: MERGE_SHAPES.multiplyBroadcast,
  normalization: {make: () => layers.normalization({axis: -1, mean: [1, 2, 3], variance: [1, 1, 2]}), inputShape: [5, 3]},
  permute: {make: () => layers.permute({dims: [2, 1, 3]}), inputShape: [4, 5, 6]},
  prelu: {make: () => layers.prelu({sharedAxes: [1, 2]}), inputShape: [4, 4, 3]},
  randomBrightness: {make: () => layers.randomBrightness({factor: 0.2}), inputShape: [8, 6, 3]},
  randomContrast: {make: () => layers.randomContrast({factor: 0.2}), inputShape: [8, 6, 1]},
  randomCrop: {make: () => layers.randomCrop({height: 4, width: 5}), inputShape: [8, 6, 3]},
  randomCropLarger: {make: () => layers.randomCrop({height: 4, width: 5}), inputShape: [2, 3, 1]},
  randomFlip: {make: () => layers.randomFlip(), inputShape: [8, 6, 3]},
  randomRotation: {make: () => layers.randomRotation({factor: 0.1}), inputShape: [8, 6, 3]},
  randomTranslation: {make: () => layers.randomTranslation({heightFactor: 0.1, widthFactor: 0.2}), inputShape: [8, 6, 3]},
  randomShear: {make: () => layers.randomShear({xFactor: 0.2, yFactor: 0.1}), inputShape: [8, 6, 3]},
  randomZoom: {make: () => layers.randomZoom({heightFactor: 0.1}), inputShape: [8, 6, 2]},
  reLU: {make: () => layers.relu({maxValue: 6}), inputShape: [3, 3]},
  rescaling: {make: () => layers.rescaling({scale: 1 / 255}), inputShape: [28, 28, 1]},
  reshape: {make: () => layers.reshape({targetShape: [3, -1]}), inputShape: [2, 3, 2]},
  separableConv2d: {make: () => layers.separableConv2d({filters: 5, kernelSize: 3, strides: 2}), inputShape: [7, 5, 2]},
  softmaxLayer: {make: () => layers.softmax({axis: 1}), inputShape: [4, 3]},
  spatialDropout1d: {make: () => layers.spatialDropout1d({rate: 0.2}), inputShape: [5, 3]},
  spatialDropout2d: {make: () => layers.spatialDropout2d({rate: 0.2}), inputShape: [5, 4, 3]},
  subtract: MERGE_SHAPES.subtractBroadcast,
  upSampling2d: {make: () => layers.upSampling2d({size: [2, 3]}), inputShape: [4, 5, 2]},
  zeroPadding2d: {
    make: () =>
      layers.zeroPadding2d({
        padding: [
          [1, 0],
          [2, 3],
        ],
      }),
    inputShape: [4, 5, 2],
  },
};

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, testCase] of Object.entries(cases)) {
    const layer = kerasLayer(testCase.make());
    kerasCases[name] =
      'inputShapes' in testCase
        ? {kind: 'outputShape', layer, inputShapes: testCase.inputShapes}
        : {kind: 'outputShape', layer, inputShape: testCase.inputShape};
  }
  keras = await runKeras('output-shapes', kerasCases);
});

describe('computeOutputShape vs Keras compute_output_shape', () => {
  it('covers every registered layer id', () => {
    const covered = new Set(Object.values(cases).map(({make}) => make().spec.id));
    // The deprecated former ids are aliases of covered ones.
    const deprecated = ['trellis/eluLayer', 'trellis/leakyReLU', 'trellis/reLU', 'trellis/softmaxLayer'];
    expect([...covered].sort()).toEqual(
      createRegistry(layersPlugin)
        .ids('layer')
        .filter((id) => !deprecated.includes(id))
        .sort(),
    );
  });

  it.each(Object.keys(cases))('%s: the same output shape', (name) => {
    const testCase = cases[name]!;
    const layer = testCase.make();
    const ours =
      'inputShapes' in testCase
        ? (expect(isMultiInputLayer(layer)).toBe(true), outputShapeOf(layer as MultiInputLayer, testCase.inputShapes))
        : outputShapeOf(layer as Layer, testCase.inputShape);
    expect([...ours]).toEqual(field(keras[name], 'outputShape'));
  });
});
