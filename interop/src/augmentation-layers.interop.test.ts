// The image augmentation layers against Keras 3 in training mode. Keras draws
// its random amounts from its own generator, so only cases whose amount is
// fixed compare here: degenerate factor ranges (lower = upper) for rotation,
// translation, zoom, contrast and brightness, and RandomCrop on images not
// larger than the crop on both axes (a deterministic centred crop, resized
// when smaller). RandomFlip and the random RandomCrop position have no
// deterministic Keras counterpart and are tested in packages/layers only.
import * as tf from '@tensorflow/tfjs-core';
import {callContext, createBuildContext} from '@trellis/testing';
import {layers, type Layer} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, tidyAsync, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLayer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

type AugmentationCase = {make: () => Layer; inputShape: number[]; batch: number; low?: number; high?: number};
const cases: Record<string, AugmentationCase> = {
  rotationReflect: {make: () => layers.randomRotation({factor: [0.1, 0.1]}), inputShape: [9, 11, 3], batch: 3},
  rotationNegativeConstant: {
    make: () => layers.randomRotation({factor: [-0.07, -0.07], fillMode: 'constant', fillValue: 0.5}),
    inputShape: [8, 8, 2],
    batch: 2,
  },
  rotationWrap: {make: () => layers.randomRotation({factor: [0.21, 0.21], fillMode: 'wrap'}), inputShape: [8, 9, 2], batch: 2},
  rotationNearestFill: {make: () => layers.randomRotation({factor: [0.3, 0.3], fillMode: 'nearest'}), inputShape: [7, 10, 1], batch: 2},
  rotationNearestInterpolation: {
    make: () => layers.randomRotation({factor: [0.13, 0.13], interpolation: 'nearest', fillMode: 'constant'}),
    inputShape: [9, 9, 2],
    batch: 2,
  },
  translationWholeReflect: {
    make: () => layers.randomTranslation({heightFactor: [0.25, 0.25], widthFactor: [-0.2, -0.2]}),
    inputShape: [8, 10, 2],
    batch: 3,
  },
  translationWholeWrap: {
    make: () => layers.randomTranslation({heightFactor: [-0.375, -0.375], widthFactor: [0.3, 0.3], fillMode: 'wrap'}),
    inputShape: [8, 10, 2],
    batch: 2,
  },
  translationWholeConstant: {
    make: () => layers.randomTranslation({heightFactor: [0.5, 0.5], widthFactor: [0.1, 0.1], fillMode: 'constant', fillValue: -2}),
    inputShape: [8, 10, 1],
    batch: 2,
  },
  translationFractionalNearest: {
    make: () => layers.randomTranslation({heightFactor: [0.17, 0.17], widthFactor: [-0.23, -0.23], fillMode: 'nearest'}),
    inputShape: [7, 9, 3],
    batch: 2,
  },
  translationFractionalReflect: {
    make: () => layers.randomTranslation({heightFactor: [-0.31, -0.31], widthFactor: [0.12, 0.12]}),
    inputShape: [6, 7, 2],
    batch: 2,
  },
  zoomOutReflect: {make: () => layers.randomZoom({heightFactor: [0.3, 0.3], widthFactor: [0.2, 0.2]}), inputShape: [9, 8, 2], batch: 3},
  zoomInSharedConstant: {
    make: () => layers.randomZoom({heightFactor: [-0.4, -0.4], fillMode: 'constant'}),
    inputShape: [10, 10, 1],
    batch: 2,
  },
  zoomOutWrap: {
    make: () => layers.randomZoom({heightFactor: [0.45, 0.45], widthFactor: [0.7, 0.7], fillMode: 'wrap'}),
    inputShape: [7, 8, 1],
    batch: 2,
  },
  zoomMixedNearest: {
    make: () => layers.randomZoom({heightFactor: [-0.25, -0.25], widthFactor: [0.5, 0.5], fillMode: 'nearest'}),
    inputShape: [8, 9, 3],
    batch: 2,
  },
  contrast: {make: () => layers.randomContrast({factor: [-0.3, 0.3]}), inputShape: [6, 7, 3], batch: 3, low: 0, high: 255},
  contrastUnitRange: {
    make: () => layers.randomContrast({factor: [-0.45, 0.45], valueRange: [0, 1]}),
    inputShape: [5, 5, 2],
    batch: 2,
    low: 0,
    high: 1,
  },
  brightness: {make: () => layers.randomBrightness({factor: [0.1, 0.1]}), inputShape: [6, 7, 3], batch: 3, low: 0, high: 255},
  brightnessDarker: {
    make: () => layers.randomBrightness({factor: [-0.3, -0.3], valueRange: [-1, 1]}),
    inputShape: [5, 6, 1],
    batch: 2,
    low: -1,
    high: 1,
  },
  cropCentre: {make: () => layers.randomCrop({height: 8, width: 6}), inputShape: [8, 10, 2], batch: 2},
  cropCentreTall: {make: () => layers.randomCrop({height: 4, width: 10}), inputShape: [9, 10, 1], batch: 2},
  cropResized: {make: () => layers.randomCrop({height: 6, width: 4}), inputShape: [3, 4, 2], batch: 2},
};

const inputs: Record<string, HostTensor> = {};
const cotangents: Record<string, HostTensor> = {};
Object.entries(cases).forEach(([name, {inputShape, batch, low = 0, high = 1}], i) => {
  inputs[name] = uniformTensor([batch, ...inputShape], 7000 + 10 * i, low, high);
  cotangents[name] = uniformTensor(outputShape(name), 7001 + 10 * i, -1, 1);
});

function outputShape(name: string): number[] {
  const {make, inputShape, batch} = cases[name]!;
  const layer = make();
  const context = createBuildContext('augmentation');
  try {
    return [batch, ...layer.build(inputShape, context)];
  } finally {
    context.dispose();
  }
}

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, {make, inputShape}] of Object.entries(cases)) {
    kerasCases[name] = {
      kind: 'layer',
      layer: kerasLayer(make()),
      inputShape,
      weights: {},
      x: inputs[name]!,
      dy: cotangents[name]!,
      training: true,
    };
  }
  keras = await runKeras('augmentation-layers', kerasCases);
});

describe.each(BACKENDS)('augmentation layers on %s vs Keras (training, fixed amounts)', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: output and input gradient within ${TOLERANCE}`, async (name) => {
    const {make, inputShape} = cases[name]!;
    const layer = make();
    const context = createBuildContext('augmentation');
    try {
      layer.build(inputShape, context);
      await tidyAsync(async () => {
        const input = toTensor(inputs[name]!);
        const cotangent = toTensor(cotangents[name]!);
        await expectClose(`${name} output`, layer.call(input, callContext(true)), field(keras[name], 'y'), TOLERANCE);
        const objective = (t: tf.Tensor) => tf.sum(tf.mul(layer.call(t, callContext(true)), cotangent)) as tf.Scalar;
        await expectClose(`${name} input gradient`, tf.grad(objective)(input), field(keras[name], 'dx'), TOLERANCE);
      });
    } finally {
      context.dispose();
    }
  });
});
