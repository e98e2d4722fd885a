// Keras-style namespaces: every layer, activation and loss factory under its plain name
// (`layers.elu` is the ELU layer, `activations.elu` the activation), as `keras.layers.ELU` vs
// `keras.activations.elu`. Built from the same functions the flat exports name; nothing is redefined.

import {builtInActivations} from './activations/built-ins';
import {activation} from './layers/activation';
import {add} from './layers/add';
import {alphaDropout} from './layers/alpha-dropout';
import {average} from './layers/average';
import {averagePooling1d} from './layers/average-pooling1d';
import {averagePooling2d} from './layers/average-pooling2d';
import {batchNormalization} from './layers/batch-normalization';
import {concatenate} from './layers/concatenate';
import {conv1d} from './layers/conv1d';
import {conv2d} from './layers/conv2d';
import {conv2dTranspose} from './layers/conv2d-transpose';
import {cropping2d} from './layers/cropping2d';
import {dense} from './layers/dense';
import {depthwiseConv2d} from './layers/depthwise-conv2d';
import {dropout} from './layers/dropout';
import {elu as eluLayerFactory} from './layers/elu';
import {embedding} from './layers/embedding';
import {flatten} from './layers/flatten';
import {gaussianDropout} from './layers/gaussian-dropout';
import {gaussianNoise} from './layers/gaussian-noise';
import {globalAveragePooling1d} from './layers/global-average-pooling1d';
import {globalAveragePooling2d} from './layers/global-average-pooling2d';
import {globalMaxPooling1d} from './layers/global-max-pooling1d';
import {globalMaxPooling2d} from './layers/global-max-pooling2d';
import {layerNormalization} from './layers/layer-normalization';
import {leakyRelu as leakyReluLayerFactory} from './layers/leaky-relu';
import {maxPooling1d} from './layers/max-pooling1d';
import {maxPooling2d} from './layers/max-pooling2d';
import {maximum} from './layers/maximum';
import {minimum} from './layers/minimum';
import {multiply} from './layers/multiply';
import {normalization} from './layers/normalization';
import {permute} from './layers/permute';
import {prelu} from './layers/prelu';
import {randomBrightness} from './layers/random-brightness';
import {randomContrast} from './layers/random-contrast';
import {randomCrop} from './layers/random-crop';
import {randomFlip} from './layers/random-flip';
import {randomRotation} from './layers/random-rotation';
import {randomShear} from './layers/random-shear';
import {randomTranslation} from './layers/random-translation';
import {randomZoom} from './layers/random-zoom';
import {relu as reluLayerFactory} from './layers/relu';
import {rescaling} from './layers/rescaling';
import {reshape} from './layers/reshape';
import {separableConv2d} from './layers/separable-conv2d';
import {softmax as softmaxLayerFactory} from './layers/softmax';
import {spatialDropout1d} from './layers/spatial-dropout1d';
import {spatialDropout2d} from './layers/spatial-dropout2d';
import {subtract} from './layers/subtract';
import {upSampling2d} from './layers/up-sampling2d';
import {zeroPadding2d} from './layers/zero-padding2d';
import {binaryCrossentropy} from './losses/binary-crossentropy';
import {binaryFocalCrossentropy} from './losses/binary-focal-crossentropy';
import {categoricalCrossentropy} from './losses/categorical-crossentropy';
import {categoricalFocalCrossentropy} from './losses/categorical-focal-crossentropy';
import {categoricalHinge} from './losses/categorical-hinge';
import {cosineSimilarity} from './losses/cosine-similarity';
import {hinge} from './losses/hinge';
import {huber} from './losses/huber';
import {kullbackLeiblerDivergence} from './losses/kullback-leibler-divergence';
import {logCosh} from './losses/log-cosh';
import {meanAbsoluteError} from './losses/mean-absolute-error';
import {meanAbsolutePercentageError} from './losses/mean-absolute-percentage-error';
import {meanSquaredError} from './losses/mean-squared-error';
import {meanSquaredLogarithmicError} from './losses/mean-squared-logarithmic-error';
import {poisson} from './losses/poisson';
import {sparseCategoricalCrossentropy} from './losses/sparse-categorical-crossentropy';
import {squaredHinge} from './losses/squared-hinge';

/**
 * Layer factories under their plain names, which are also their spec ids (`trellis/<name>`):
 * `layers.dense({units: 3})`, `layers.elu()` (the ELU layer, `trellis/elu`), `layers.relu()`
 * (`trellis/relu`). The deprecated flat `eluLayer`, `softmaxLayer`, `reLU` and `leakyReLU` are
 * these same functions.
 */
export const layers = Object.freeze({
  activation,
  add,
  alphaDropout,
  average,
  averagePooling1d,
  averagePooling2d,
  batchNormalization,
  concatenate,
  conv1d,
  conv2d,
  conv2dTranspose,
  cropping2d,
  dense,
  depthwiseConv2d,
  dropout,
  elu: eluLayerFactory,
  embedding,
  flatten,
  gaussianDropout,
  gaussianNoise,
  globalAveragePooling1d,
  globalAveragePooling2d,
  globalMaxPooling1d,
  globalMaxPooling2d,
  layerNormalization,
  leakyRelu: leakyReluLayerFactory,
  maximum,
  maxPooling1d,
  maxPooling2d,
  minimum,
  multiply,
  normalization,
  permute,
  prelu,
  randomBrightness,
  randomContrast,
  randomCrop,
  randomFlip,
  randomRotation,
  randomShear,
  randomTranslation,
  randomZoom,
  relu: reluLayerFactory,
  rescaling,
  reshape,
  separableConv2d,
  softmax: softmaxLayerFactory,
  spatialDropout1d,
  spatialDropout2d,
  subtract,
  upSampling2d,
  zeroPadding2d,
} as const);

/** Activations under their plain names: `activations.relu`, `activations.elu({alpha: 0.5})`. */
export const activations = builtInActivations;

/** Loss factories under their plain names: `losses.meanSquaredError()`. */
export const losses = Object.freeze({
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  categoricalHinge,
  cosineSimilarity,
  hinge,
  huber,
  kullbackLeiblerDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
} as const);
