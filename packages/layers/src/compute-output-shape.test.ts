import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry, outputShapeOf, type Layer, type MultiInputLayer, type Shape} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layers, layersPlugin} from './index';
import {gives, same, shapes} from '../test/shape-cases';
import {createBuildContext} from '../test/testing';

/** A layer taking one input: input shapes it accepts (with the expected output) and ones it refuses. */
type SingleCase = {
  readonly make: () => Layer;
  readonly good: readonly (readonly [Shape, Shape])[];
  readonly bad: readonly Shape[];
};

/** A merge layer: lists of input shapes it accepts (with the expected output) and ones it refuses. */
type MergeCase = {
  readonly make: () => MultiInputLayer;
  readonly good: readonly (readonly [readonly Shape[], Shape])[];
  readonly bad: readonly (readonly Shape[])[];
};

type Case = SingleCase | MergeCase;

// Every registered layer id has an entry (checked below), so a new layer without one fails this file.
const cases: Record<string, Case> = {
  'trellis/activation': {make: () => layers.activation({activation: 'relu'}), good: [same([4, 3])], bad: shapes([4, 0])},
  'trellis/add': {
    make: () => layers.add(),
    good: [gives(shapes([8], [8]), [8]), gives(shapes([4, 1], [1, 5], [4, 5]), [4, 5])],
    bad: [shapes([8]), shapes([8], [9])],
  },
  'trellis/alphaDropout': {make: () => layers.alphaDropout({rate: 0.2}), good: [same([5, 2])], bad: shapes([5, -2])},
  'trellis/average': {make: () => layers.average(), good: [gives(shapes([3, 2], [3, 2], [3, 2]), [3, 2])], bad: [shapes([3, 2], [2, 3])]},
  'trellis/averagePooling1d': {
    make: () => layers.averagePooling1d({poolSize: 3, strides: 2}),
    good: [gives([10, 4], [4, 4]), gives([3, 1], [1, 1])],
    bad: shapes([10], [2, 4], [4, 4, 4]),
  },
  'trellis/averagePooling2d': {
    make: () => layers.averagePooling2d({poolSize: 2, padding: 'same'}),
    good: [gives([7, 6, 3], [4, 3, 3]), same([1, 1, 2])],
    bad: shapes([7, 6], [7, 6, 3, 1]),
  },
  'trellis/batchNormalization': {
    make: () => layers.batchNormalization({axis: 1}),
    good: [same([4]), same([4, 3, 2])],
    bad: shapes([], [4, 0]),
  },
  'trellis/concatenate': {
    make: () => layers.concatenate({axis: -1}),
    good: [gives(shapes([4, 3], [4, 5]), [4, 8]), gives(shapes([2], [3], [4]), [9])],
    bad: [shapes([4, 3], [5, 3]), shapes([4, 3], [4]), shapes([4])],
  },
  'trellis/conv1d': {
    make: () => layers.conv1d({filters: 6, kernelSize: 3, strides: 2}),
    good: [gives([11, 2], [5, 6]), gives([3, 1], [1, 6])],
    bad: shapes([11], [2, 2], [4, 4, 2]),
  },
  'trellis/conv2d': {
    make: () => layers.conv2d({filters: 4, kernelSize: [3, 2], padding: 'same', strides: [2, 1]}),
    good: [gives([9, 8, 3], [5, 8, 4]), gives([1, 1, 1], [1, 1, 4])],
    bad: shapes([9, 8], [9, 8, 3, 1]),
  },
  'trellis/conv2dTranspose': {
    make: () => layers.conv2dTranspose({filters: 3, kernelSize: 3, strides: 2}),
    good: [gives([4, 5, 2], [9, 11, 3]), gives([1, 1, 1], [3, 3, 3])],
    bad: shapes([4, 5], [0, 5, 2]),
  },
  'trellis/cropping2d': {
    make: () =>
      layers.cropping2d({
        cropping: [
          [1, 2],
          [0, 1],
        ],
      }),
    good: [gives([6, 5, 3], [3, 4, 3])],
    bad: shapes([3, 5, 3], [6, 5]),
  },
  'trellis/dense': {make: () => layers.dense({units: 7}), good: [gives([3], [7]), gives([4, 3], [4, 7])], bad: shapes([], [3, 0])},
  'trellis/depthwiseConv2d': {
    make: () => layers.depthwiseConv2d({kernelSize: 2, depthMultiplier: 3}),
    good: [gives([5, 4, 2], [4, 3, 6])],
    bad: shapes([1, 4, 2], [5, 4]),
  },
  'trellis/dropout': {make: () => layers.dropout({rate: 0.5, noiseShape: [null, 1, 3]}), good: [same([4, 3])], bad: shapes([4, 2], [3])},
  'trellis/elu': {make: () => layers.elu(), good: [same([6])], bad: shapes([6, 1.5])},
  'trellis/embedding': {
    make: () => layers.embedding({inputDim: 10, outputDim: 4}),
    good: [gives([7], [7, 4]), gives([2, 3], [2, 3, 4])],
    bad: shapes([0]),
  },
  'trellis/flatten': {make: () => layers.flatten(), good: [gives([4, 3, 2], [24]), same([5])], bad: shapes([4, -3])},
  'trellis/gaussianDropout': {make: () => layers.gaussianDropout({rate: 0.3}), good: [same([2, 2])], bad: shapes([0, 2])},
  'trellis/gaussianNoise': {make: () => layers.gaussianNoise({stddev: 0.1}), good: [same([3])], bad: shapes([3, 0])},
  'trellis/globalAveragePooling1d': {
    make: () => layers.globalAveragePooling1d({keepdims: true}),
    good: [gives([7, 3], [1, 3])],
    bad: shapes([7], [7, 3, 1]),
  },
  'trellis/globalAveragePooling2d': {make: () => layers.globalAveragePooling2d(), good: [gives([5, 4, 3], [3])], bad: shapes([5, 4])},
  'trellis/globalMaxPooling1d': {make: () => layers.globalMaxPooling1d(), good: [gives([7, 3], [3])], bad: shapes([7, 3, 2])},
  'trellis/globalMaxPooling2d': {
    make: () => layers.globalMaxPooling2d({keepdims: true}),
    good: [gives([5, 4, 3], [1, 1, 3])],
    bad: shapes([5, 4, 3, 2]),
  },
  'trellis/layerNormalization': {make: () => layers.layerNormalization({axis: [-2, -1]}), good: [same([4, 3])], bad: shapes([4], [0, 3])},
  'trellis/leakyRelu': {make: () => layers.leakyRelu({negativeSlope: 0.1}), good: [same([2, 3])], bad: shapes([-1])},
  'trellis/maxPooling1d': {make: () => layers.maxPooling1d({poolSize: 2}), good: [gives([9, 2], [4, 2])], bad: shapes([1, 2], [9])},
  'trellis/maxPooling2d': {
    make: () => layers.maxPooling2d({poolSize: [2, 3]}),
    good: [gives([6, 7, 1], [3, 2, 1])],
    bad: shapes([1, 7, 1], [6, 7]),
  },
  'trellis/maximum': {make: () => layers.maximum(), good: [gives(shapes([5], [5]), [5])], bad: [shapes([5], [4])]},
  'trellis/minimum': {make: () => layers.minimum(), good: [gives(shapes([5], [1]), [5])], bad: [shapes([5])]},
  'trellis/multiply': {make: () => layers.multiply(), good: [gives(shapes([2, 3], [2, 3]), [2, 3])], bad: [shapes([2, 3], [3, 2])]},
  'trellis/normalization': {
    make: () => layers.normalization({axis: -1, mean: [1, 2, 3], variance: [1, 1, 2]}),
    good: [same([3]), same([5, 3])],
    bad: shapes([4], [], [3, 0]),
  },
  'trellis/permute': {
    make: () => layers.permute({dims: [2, 1, 3]}),
    good: [gives([4, 5, 6], [5, 4, 6])],
    bad: shapes([4, 5], [4, 5, 6, 7]),
  },
  'trellis/prelu': {make: () => layers.prelu({sharedAxes: [1, 2]}), good: [same([4, 4, 3])], bad: shapes([4], [0, 4, 3])},
  'trellis/randomBrightness': {make: () => layers.randomBrightness({factor: 0.2}), good: [same([8, 6, 3])], bad: shapes([8, 6])},
  'trellis/randomContrast': {make: () => layers.randomContrast({factor: 0.2}), good: [same([8, 6, 1])], bad: shapes([8])},
  'trellis/randomCrop': {
    make: () => layers.randomCrop({height: 4, width: 5}),
    good: [gives([8, 6, 3], [4, 5, 3]), gives([2, 3, 1], [4, 5, 1])],
    bad: shapes([8, 6], [8, 6, 3, 1]),
  },
  'trellis/randomFlip': {make: () => layers.randomFlip(), good: [same([8, 6, 3])], bad: shapes([8, 6, 3, 1])},
  'trellis/randomRotation': {make: () => layers.randomRotation({factor: 0.1}), good: [same([8, 6, 3])], bad: shapes([8, 6])},
  'trellis/randomShear': {make: () => layers.randomShear({xFactor: 0.1, yFactor: 0.2}), good: [same([8, 6, 3])], bad: shapes([48])},
  'trellis/randomTranslation': {
    make: () => layers.randomTranslation({heightFactor: 0.1, widthFactor: 0.2}),
    good: [same([8, 6, 3])],
    bad: shapes([48]),
  },
  'trellis/randomZoom': {make: () => layers.randomZoom({heightFactor: 0.1}), good: [same([8, 6, 2])], bad: shapes([8, 0, 2])},
  'trellis/relu': {make: () => layers.relu({maxValue: 6}), good: [same([3, 3])], bad: shapes([3, 0.5])},
  'trellis/rescaling': {make: () => layers.rescaling({scale: 1 / 255}), good: [same([28, 28, 1])], bad: shapes([28, 0])},
  'trellis/reshape': {
    make: () => layers.reshape({targetShape: [3, -1]}),
    good: [gives([12], [3, 4]), gives([2, 3, 2], [3, 4])],
    bad: shapes([10], [0]),
  },
  'trellis/separableConv2d': {
    make: () => layers.separableConv2d({filters: 5, kernelSize: 3, padding: 'valid'}),
    good: [gives([6, 5, 2], [4, 3, 5])],
    bad: shapes([2, 5, 2], [6, 5]),
  },
  'trellis/softmax': {make: () => layers.softmax({axis: 2}), good: [same([4, 3])], bad: shapes([4])},
  'trellis/spatialDropout1d': {make: () => layers.spatialDropout1d({rate: 0.2}), good: [same([5, 3])], bad: shapes([5], [5, 3, 1])},
  'trellis/spatialDropout2d': {make: () => layers.spatialDropout2d({rate: 0.2}), good: [same([5, 4, 3])], bad: shapes([5, 4])},
  'trellis/subtract': {make: () => layers.subtract(), good: [gives(shapes([4], [4]), [4])], bad: [shapes([4], [4], [4]), shapes([4], [3])]},
  'trellis/upSampling2d': {make: () => layers.upSampling2d({size: [2, 3]}), good: [gives([4, 5, 2], [8, 15, 2])], bad: shapes([4, 5])},
  'trellis/zeroPadding2d': {
    make: () =>
      layers.zeroPadding2d({
        padding: [
          [1, 0],
          [2, 3],
        ],
      }),
    good: [gives([4, 5, 2], [5, 10, 2])],
    bad: shapes([4, 5], [4, 5, 2, 1]),
  },
};

/** Runs `computeOutputShape` for a single-input layer or a merge layer alike. */
function compute(layer: Layer | MultiInputLayer, shape: Shape | readonly Shape[]): Shape {
  const method = (layer as {computeOutputShape?: (s: unknown) => Shape}).computeOutputShape;
  expect(typeof method).toBe('function');
  return method!.call(layer, shape);
}

/** Builds a fresh context for `layer` with `shape`, returning the output shape (or what it throws); disposes the weights. */
function build(layer: Layer | MultiInputLayer, shape: Shape | readonly Shape[]): Shape | Error {
  const context = createBuildContext(layer.name || 'layer');
  try {
    return (layer.build as (s: unknown, c: typeof context) => Shape)(shape, context);
  } catch (error) {
    return error as Error;
  } finally {
    context.dispose();
  }
}

describe('computeOutputShape', () => {
  it('has a case for every registered layer id', () => {
    const ids = createRegistry(layersPlugin).ids('layer');
    expect(ids.length).toBeGreaterThan(0);
    // The deprecated former ids are aliases of the current ones, which have cases.
    const deprecated = ['trellis/eluLayer', 'trellis/leakyReLU', 'trellis/reLU', 'trellis/softmaxLayer'];
    expect(Object.keys(cases).sort()).toEqual(ids.filter((id) => !deprecated.includes(id)).sort());
  });

  describe.each(Object.entries(cases))('%s', (id, testCase) => {
    it('is the layer registered under the id', () => {
      expect(testCase.make().spec.id).toBe(id);
    });

    it.each(testCase.good.map(([input, output]) => [JSON.stringify(input), input, output] as const))(
      'gives what build gives for %s, before and after build, without creating a tensor',
      (_label, input, output) => {
        const layer = testCase.make();
        const before = tf.memory().numTensors;
        const computed = compute(layer, input);
        expect(tf.memory().numTensors).toBe(before);
        expect(computed).toEqual(output);
        expect(build(layer, input)).toEqual(output);
        const after = tf.memory().numTensors;
        expect(compute(layer, input)).toEqual(output);
        expect(tf.memory().numTensors).toBe(after);
        expect(outputShapeOf(layer as Layer & MultiInputLayer, input as Shape & readonly Shape[])).toEqual(output);
      },
    );

    it.each(testCase.bad.map((input) => [JSON.stringify(input), input] as const))(
      'throws the error build throws for %s',
      (_label, input) => {
        const layer = testCase.make();
        const before = tf.memory().numTensors;
        const computed = catchError(() => compute(layer, input));
        expect(tf.memory().numTensors).toBe(before);
        const built = build(testCase.make(), input);
        expect(built).toBeInstanceOf(Error);
        expect(computed.name).toBe('ShapeError');
        expect(computed.name).toBe((built as Error).name);
        expect(computed.message).toBe((built as Error).message);
      },
    );
  });
});
