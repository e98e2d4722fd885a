// The pooling layers against keras.layers.MaxPooling1D/2D, AveragePooling1D/2D
// and the global poolings: output and input gradient for a random cotangent,
// over several window, stride and padding combinations, on cpu and wasm.
import {layers, maxPooling2d} from 'trellis';
import {describeLayerCases, type LayerCase} from './harness/layer-cases';

const TOLERANCE = 1e-4;

const cases: Record<string, LayerCase> = {
  maxPooling2dDefault: {make: () => maxPooling2d(), inputShape: [6, 7, 3], batch: 2},
  maxPooling2dSame3Stride2: {make: () => maxPooling2d({poolSize: 3, strides: 2, padding: 'same'}), inputShape: [7, 8, 2], batch: 2},
  maxPooling2dValid32Stride1: {make: () => maxPooling2d({poolSize: [3, 2], strides: 1}), inputShape: [5, 6, 2], batch: 2},
  maxPooling2dSameOdd: {make: () => maxPooling2d({poolSize: 2, padding: 'same'}), inputShape: [5, 7, 3], batch: 2},
  averagePooling2dDefault: {make: () => layers.averagePooling2d(), inputShape: [6, 8, 3], batch: 2},
  averagePooling2dSame3Stride2: {
    make: () => layers.averagePooling2d({poolSize: 3, strides: 2, padding: 'same'}),
    inputShape: [7, 6, 2],
    batch: 2,
  },
  averagePooling2dValidStrides12: {
    make: () => layers.averagePooling2d({poolSize: [2, 3], strides: [1, 2]}),
    inputShape: [5, 7, 2],
    batch: 2,
  },
  averagePooling2dSameOdd: {make: () => layers.averagePooling2d({poolSize: 2, padding: 'same'}), inputShape: [5, 5, 1], batch: 3},
  maxPooling1dDefault: {make: () => layers.maxPooling1d(), inputShape: [9, 3], batch: 2},
  maxPooling1dSame3Stride2: {make: () => layers.maxPooling1d({poolSize: 3, strides: 2, padding: 'same'}), inputShape: [10, 2], batch: 2},
  averagePooling1dDefault: {make: () => layers.averagePooling1d(), inputShape: [8, 3], batch: 2},
  averagePooling1dSame4Stride3: {
    make: () => layers.averagePooling1d({poolSize: 4, strides: 3, padding: 'same'}),
    inputShape: [11, 2],
    batch: 2,
  },
  globalMaxPooling2d: {make: () => layers.globalMaxPooling2d(), inputShape: [5, 6, 4], batch: 3},
  globalMaxPooling2dKeepdims: {make: () => layers.globalMaxPooling2d({keepdims: true}), inputShape: [4, 3, 2], batch: 2},
  globalAveragePooling2d: {make: () => layers.globalAveragePooling2d(), inputShape: [5, 6, 4], batch: 3},
  globalAveragePooling2dKeepdims: {make: () => layers.globalAveragePooling2d({keepdims: true}), inputShape: [4, 3, 2], batch: 2},
  globalMaxPooling1d: {make: () => layers.globalMaxPooling1d(), inputShape: [7, 3], batch: 2},
  globalMaxPooling1dKeepdims: {make: () => layers.globalMaxPooling1d({keepdims: true}), inputShape: [7, 3], batch: 2},
  globalAveragePooling1d: {make: () => layers.globalAveragePooling1d(), inputShape: [7, 3], batch: 2},
  globalAveragePooling1dKeepdims: {make: () => layers.globalAveragePooling1d({keepdims: true}), inputShape: [7, 3], batch: 2},
};

describeLayerCases('pooling-layers', cases, TOLERANCE);
