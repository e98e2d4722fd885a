// The convolution layers against keras.layers.Conv1D, Conv2D, Conv2DTranspose,
// DepthwiseConv2D and SeparableConv2D: output, and the gradients of the input
// and of every weight for a random cotangent, over
// several stride, padding and dilation combinations, on cpu and wasm.
import {conv2d, layers} from 'trellis';
import {describeLayerCases, type LayerCase} from './harness/layer-cases';

const TOLERANCE = 1e-4;

const cases: Record<string, LayerCase> = {
  conv2dValid: {make: () => conv2d({filters: 4, kernelSize: 3}), inputShape: [7, 6, 3], batch: 2},
  conv2dSameStrides21: {
    make: () => conv2d({filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'relu'}),
    inputShape: [7, 6, 2],
    batch: 2,
  },
  conv2dSameStride2Even: {make: () => conv2d({filters: 5, kernelSize: 3, strides: 2, padding: 'same'}), inputShape: [8, 8, 3], batch: 2},
  conv2dValidStride3: {
    make: () => conv2d({filters: 2, kernelSize: 2, strides: 3, useBias: false, activation: 'tanh'}),
    inputShape: [8, 7, 1],
    batch: 3,
  },
  conv2dSameKernel5: {make: () => conv2d({filters: 4, kernelSize: 5, padding: 'same'}), inputShape: [6, 6, 2], batch: 2},
  conv2dValidDilation2: {make: () => conv2d({filters: 3, kernelSize: 3, dilationRate: 2}), inputShape: [9, 8, 2], batch: 2},
  conv2dSameDilation23: {
    make: () => conv2d({filters: 2, kernelSize: [2, 3], dilationRate: [2, 3], padding: 'same', activation: 'sigmoid'}),
    inputShape: [7, 9, 3],
    batch: 2,
  },
  conv2dSixteenChannels: {make: () => conv2d({filters: 8, kernelSize: 3, padding: 'same'}), inputShape: [10, 10, 16], batch: 4},
  conv2dSameKernelBelowStride: {
    make: () => conv2d({filters: 3, kernelSize: [2, 1], strides: [3, 2], padding: 'same'}),
    inputShape: [9, 8, 2],
    batch: 2,
  },
  conv1dSameKernelBelowStride: {
    make: () => layers.conv1d({filters: 2, kernelSize: 2, strides: 3, padding: 'same'}),
    inputShape: [10, 3],
    batch: 2,
  },
  conv1dValid: {make: () => layers.conv1d({filters: 4, kernelSize: 3}), inputShape: [10, 3], batch: 2},
  conv1dSameStride2: {
    make: () => layers.conv1d({filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu'}),
    inputShape: [9, 2],
    batch: 3,
  },
  conv1dDilation3: {
    make: () => layers.conv1d({filters: 2, kernelSize: 3, dilationRate: 3, padding: 'same'}),
    inputShape: [11, 4],
    batch: 2,
  },
  conv2dTransposeValid: {make: () => layers.conv2dTranspose({filters: 3, kernelSize: 3}), inputShape: [4, 5, 2], batch: 2},
  conv2dTransposeValidStride2: {
    make: () => layers.conv2dTranspose({filters: 2, kernelSize: 3, strides: 2}),
    inputShape: [4, 3, 3],
    batch: 2,
  },
  conv2dTransposeSameStride2: {
    make: () => layers.conv2dTranspose({filters: 4, kernelSize: [3, 4], strides: 2, padding: 'same', activation: 'relu'}),
    inputShape: [4, 5, 2],
    batch: 2,
  },
  conv2dTransposeKernelBelowStride: {
    make: () => layers.conv2dTranspose({filters: 2, kernelSize: 2, strides: 3}),
    inputShape: [3, 4, 2],
    batch: 2,
  },
  conv2dTransposeSameKernelBelowStride: {
    make: () => layers.conv2dTranspose({filters: 2, kernelSize: [2, 1], strides: [3, 2], padding: 'same'}),
    inputShape: [3, 4, 2],
    batch: 2,
  },
  conv2dTransposeDilation2: {
    make: () => layers.conv2dTranspose({filters: 3, kernelSize: 3, dilationRate: 2, useBias: false}),
    inputShape: [4, 4, 2],
    batch: 2,
  },
  conv2dTransposeSameDilation2: {
    make: () => layers.conv2dTranspose({filters: 2, kernelSize: 2, dilationRate: [2, 1], padding: 'same'}),
    inputShape: [5, 4, 3],
    batch: 2,
  },
  depthwiseValid: {make: () => layers.depthwiseConv2d({kernelSize: 3}), inputShape: [6, 7, 3], batch: 2},
  depthwiseSameMultiplier2Stride2: {
    make: () => layers.depthwiseConv2d({kernelSize: [3, 2], strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu'}),
    inputShape: [7, 6, 3],
    batch: 2,
  },
  depthwiseStrides21: {
    make: () => layers.depthwiseConv2d({kernelSize: 2, strides: [2, 1], depthMultiplier: 3}),
    inputShape: [6, 5, 2],
    batch: 2,
  },
  depthwiseDilation2: {
    make: () => layers.depthwiseConv2d({kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false}),
    inputShape: [7, 7, 4],
    batch: 2,
  },
  depthwiseSameKernelBelowStride: {
    make: () => layers.depthwiseConv2d({kernelSize: [3, 1], strides: [1, 2], padding: 'same'}),
    inputShape: [6, 7, 2],
    batch: 2,
  },
  separableValid: {make: () => layers.separableConv2d({filters: 4, kernelSize: 3}), inputShape: [6, 7, 3], batch: 2},
  separableSameStride2Multiplier2: {
    make: () => layers.separableConv2d({filters: 5, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'tanh'}),
    inputShape: [8, 7, 2],
    batch: 2,
  },
  separableDilation2: {make: () => layers.separableConv2d({filters: 3, kernelSize: 2, dilationRate: 2}), inputShape: [6, 6, 3], batch: 2},
};

describeLayerCases('conv-layers', cases, TOLERANCE);
