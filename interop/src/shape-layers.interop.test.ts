// The reshaping layers against keras.layers.Reshape, Permute, ZeroPadding2D,
// Cropping2D and UpSampling2D: output and input gradient for a random
// cotangent, on cpu and wasm.
import {layers} from 'trellis';
import {describeLayerCases, type LayerCase} from './harness/layer-cases';

const TOLERANCE = 1e-4;

const cases: Record<string, LayerCase> = {
  reshapeTo3d: {make: () => layers.reshape({targetShape: [4, 3, 2]}), inputShape: [24], batch: 2},
  reshapeInferred: {make: () => layers.reshape({targetShape: [-1, 6]}), inputShape: [4, 3, 2], batch: 3},
  permuteSwap: {make: () => layers.permute({dims: [2, 1]}), inputShape: [5, 3], batch: 2},
  permute3d: {make: () => layers.permute({dims: [3, 1, 2]}), inputShape: [2, 3, 4], batch: 2},
  zeroPadding2dDefault: {make: () => layers.zeroPadding2d(), inputShape: [4, 5, 2], batch: 2},
  zeroPadding2dPairs: {
    make: () =>
      layers.zeroPadding2d({
        padding: [
          [1, 2],
          [3, 0],
        ],
      }),
    inputShape: [3, 4, 3],
    batch: 2,
  },
  zeroPadding2dSymmetric: {make: () => layers.zeroPadding2d({padding: [2, 1]}), inputShape: [3, 3, 1], batch: 2},
  cropping2dPairs: {
    make: () =>
      layers.cropping2d({
        cropping: [
          [1, 2],
          [0, 3],
        ],
      }),
    inputShape: [6, 7, 2],
    batch: 2,
  },
  cropping2dSymmetric: {make: () => layers.cropping2d({cropping: [1, 2]}), inputShape: [5, 6, 3], batch: 2},
  upSampling2dNearest: {make: () => layers.upSampling2d(), inputShape: [3, 4, 2], batch: 2},
  upSampling2dNearest31: {make: () => layers.upSampling2d({size: [3, 1]}), inputShape: [3, 4, 2], batch: 2},
  upSampling2dBilinear: {make: () => layers.upSampling2d({interpolation: 'bilinear'}), inputShape: [4, 3, 2], batch: 2},
  upSampling2dBilinear32: {make: () => layers.upSampling2d({size: [3, 2], interpolation: 'bilinear'}), inputShape: [3, 5, 2], batch: 2},
};

describeLayerCases('shape-layers', cases, TOLERANCE);
