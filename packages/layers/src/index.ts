export type {SymbolicLayer, SymbolicMergeLayer} from './layers/symbolic-layer';
export {elu, type EluConfig} from './activations/elu';
export {gelu, type GeluConfig} from './activations/gelu';
export {activationNames, activationToName, getActivation} from './activations/get-activation';
export {hardSigmoid} from './activations/hard-sigmoid';
export {leakyRelu, type LeakyReluConfig} from './activations/leaky-relu';
export {linear} from './activations/linear';
export {logSoftmax, type LogSoftmaxConfig} from './activations/log-softmax';
export {mish} from './activations/mish';
export {relu} from './activations/relu';
export {relu6} from './activations/relu6';
export {selu} from './activations/selu';
export {sigmoid} from './activations/sigmoid';
export {softmax, type SoftmaxConfig} from './activations/softmax';
export {softplus} from './activations/softplus';
export {softsign} from './activations/softsign';
export {silu, swish} from './activations/swish';
export {tanh} from './activations/tanh';
export type {
  Activation,
  ActivationConfig,
  ActivationIdentifier,
  ActivationJson,
  ActivationName,
  ConfigurableActivation,
  KerasActivationName,
} from './activations/types';
export {activation, type ActivationLayer, type ActivationLayerConfig, type ActivationOptions} from './layers/activation';
export {add} from './layers/add';
export {alphaDropout, type AlphaDropoutConfig, type AlphaDropoutLayer, type AlphaDropoutOptions} from './layers/alpha-dropout';
export {average} from './layers/average';
export {
  averagePooling1d,
  type AveragePooling1dConfig,
  type AveragePooling1dLayer,
  type AveragePooling1dOptions,
} from './layers/average-pooling1d';
export {
  averagePooling2d,
  type AveragePooling2dConfig,
  type AveragePooling2dLayer,
  type AveragePooling2dOptions,
} from './layers/average-pooling2d';
export {
  batchNormalization,
  type BatchNormalizationConfig,
  type BatchNormalizationLayer,
  type BatchNormalizationOptions,
} from './layers/batch-normalization';
export type {MergeConfig, MergeOptions} from './layers/base-merge';
export type {SpecJson} from './layers/common';
export {concatenate, type ConcatenateConfig, type ConcatenateLayer, type ConcatenateOptions} from './layers/concatenate';
export type {AxisPairs, DataFormat, Padding} from './layers/conv-common';
export {conv1d, type Conv1dConfig, type Conv1dLayer, type Conv1dOptions} from './layers/conv1d';
export {conv2d, type Conv2dConfig, type Conv2dLayer, type Conv2dOptions} from './layers/conv2d';
export {
  conv2dTranspose,
  type Conv2dTransposeConfig,
  type Conv2dTransposeLayer,
  type Conv2dTransposeOptions,
} from './layers/conv2d-transpose';
export {cropping2d, type Cropping2dConfig, type Cropping2dLayer, type Cropping2dOptions} from './layers/cropping2d';
export {
  depthwiseConv2d,
  type DepthwiseConv2dConfig,
  type DepthwiseConv2dLayer,
  type DepthwiseConv2dOptions,
} from './layers/depthwise-conv2d';
export {dense, type DenseConfig, type DenseLayer, type DenseOptions} from './layers/dense';
export {dropout, type DropoutConfig, type DropoutLayer, type DropoutOptions} from './layers/dropout';
export {eluLayer, type EluLayer, type EluLayerConfig, type EluLayerOptions} from './layers/elu';
export {embedding, type EmbeddingConfig, type EmbeddingLayer, type EmbeddingOptions} from './layers/embedding';
export {flatten, type FlattenConfig, type FlattenOptions} from './layers/flatten';
export {
  gaussianDropout,
  type GaussianDropoutConfig,
  type GaussianDropoutLayer,
  type GaussianDropoutOptions,
} from './layers/gaussian-dropout';
export {gaussianNoise, type GaussianNoiseConfig, type GaussianNoiseLayer, type GaussianNoiseOptions} from './layers/gaussian-noise';
export {
  globalAveragePooling1d,
  type GlobalAveragePooling1dConfig,
  type GlobalAveragePooling1dLayer,
  type GlobalAveragePooling1dOptions,
} from './layers/global-average-pooling1d';
export {
  globalAveragePooling2d,
  type GlobalAveragePooling2dConfig,
  type GlobalAveragePooling2dLayer,
  type GlobalAveragePooling2dOptions,
} from './layers/global-average-pooling2d';
export {
  globalMaxPooling1d,
  type GlobalMaxPooling1dConfig,
  type GlobalMaxPooling1dLayer,
  type GlobalMaxPooling1dOptions,
} from './layers/global-max-pooling1d';
export {
  globalMaxPooling2d,
  type GlobalMaxPooling2dConfig,
  type GlobalMaxPooling2dLayer,
  type GlobalMaxPooling2dOptions,
} from './layers/global-max-pooling2d';
export {
  layerNormalization,
  type LayerNormalizationConfig,
  type LayerNormalizationLayer,
  type LayerNormalizationOptions,
} from './layers/layer-normalization';
export {
  leakyReLU,
  type LeakyReluLayer,
  type LeakyReluLayerConfig,
  type LeakyReluLayerOptions,
  type LeakyReLUConfig,
  type LeakyReLULayer,
  type LeakyReLUOptions,
} from './layers/leaky-relu';
export {maxPooling1d, type MaxPooling1dConfig, type MaxPooling1dLayer, type MaxPooling1dOptions} from './layers/max-pooling1d';
export {maxPooling2d, type MaxPooling2dConfig, type MaxPooling2dLayer, type MaxPooling2dOptions} from './layers/max-pooling2d';
export {maximum} from './layers/maximum';
export {minimum} from './layers/minimum';
export {multiply} from './layers/multiply';
export {normalization, type NormalizationConfig, type NormalizationLayer, type NormalizationOptions} from './layers/normalization';
export {permute, type PermuteConfig, type PermuteLayer, type PermuteOptions} from './layers/permute';
export {prelu, type PReLUConfig, type PReLULayer, type PReLUOptions} from './layers/prelu';
export type {FillMode, Interpolation} from './layers/image-augmentation';
export {
  randomBrightness,
  type RandomBrightnessConfig,
  type RandomBrightnessLayer,
  type RandomBrightnessOptions,
} from './layers/random-brightness';
export {randomContrast, type RandomContrastConfig, type RandomContrastLayer, type RandomContrastOptions} from './layers/random-contrast';
export {randomCrop, type RandomCropConfig, type RandomCropLayer, type RandomCropOptions} from './layers/random-crop';
export {randomFlip, type FlipMode, type RandomFlipConfig, type RandomFlipLayer, type RandomFlipOptions} from './layers/random-flip';
export {randomRotation, type RandomRotationConfig, type RandomRotationLayer, type RandomRotationOptions} from './layers/random-rotation';
export {randomShear, type RandomShearConfig, type RandomShearLayer, type RandomShearOptions} from './layers/random-shear';
export {
  randomTranslation,
  type RandomTranslationConfig,
  type RandomTranslationLayer,
  type RandomTranslationOptions,
} from './layers/random-translation';
export {randomZoom, type RandomZoomConfig, type RandomZoomLayer, type RandomZoomOptions} from './layers/random-zoom';
export {reLU, type ReLUConfig, type ReLULayer, type ReLUOptions} from './layers/relu';
export {rescaling, type RescalingConfig, type RescalingLayer, type RescalingOptions} from './layers/rescaling';
export {reshape, type ReshapeConfig, type ReshapeLayer, type ReshapeOptions} from './layers/reshape';
export {softmaxLayer, type SoftmaxLayer, type SoftmaxLayerConfig, type SoftmaxLayerOptions} from './layers/softmax';
export {
  separableConv2d,
  type SeparableConv2dConfig,
  type SeparableConv2dLayer,
  type SeparableConv2dOptions,
} from './layers/separable-conv2d';
export {
  spatialDropout1d,
  type SpatialDropout1dConfig,
  type SpatialDropout1dLayer,
  type SpatialDropout1dOptions,
} from './layers/spatial-dropout1d';
export {
  spatialDropout2d,
  type SpatialDropout2dConfig,
  type SpatialDropout2dLayer,
  type SpatialDropout2dOptions,
} from './layers/spatial-dropout2d';
export {subtract} from './layers/subtract';
export {
  upSampling2d,
  type UpSampling2dConfig,
  type UpSampling2dLayer,
  type UpSampling2dOptions,
  type UpSamplingInterpolation,
} from './layers/up-sampling2d';
export {zeroPadding2d, type ZeroPadding2dConfig, type ZeroPadding2dLayer, type ZeroPadding2dOptions} from './layers/zero-padding2d';
export {binaryCrossentropy, type BinaryCrossentropyConfig, type BinaryCrossentropyOptions} from './losses/binary-crossentropy';
export {
  binaryFocalCrossentropy,
  type BinaryFocalCrossentropyConfig,
  type BinaryFocalCrossentropyOptions,
} from './losses/binary-focal-crossentropy';
export {
  categoricalCrossentropy,
  type CategoricalCrossentropyConfig,
  type CategoricalCrossentropyOptions,
} from './losses/categorical-crossentropy';
export {
  categoricalFocalCrossentropy,
  type CategoricalFocalCrossentropyConfig,
  type CategoricalFocalCrossentropyOptions,
} from './losses/categorical-focal-crossentropy';
export {categoricalHinge, type CategoricalHingeConfig} from './losses/categorical-hinge';
export {cosineSimilarity, type CosineSimilarityConfig, type CosineSimilarityOptions} from './losses/cosine-similarity';
export {getLoss, lossNames, type LossName} from './losses/get-loss';
export {hinge, type HingeConfig} from './losses/hinge';
export {huber, type HuberConfig, type HuberOptions} from './losses/huber';
export {kullbackLeiblerDivergence, type KullbackLeiblerDivergenceConfig} from './losses/kullback-leibler-divergence';
export {logCosh, type LogCoshConfig} from './losses/log-cosh';
export {meanAbsoluteError, type MeanAbsoluteErrorConfig} from './losses/mean-absolute-error';
export {meanAbsolutePercentageError, type MeanAbsolutePercentageErrorConfig} from './losses/mean-absolute-percentage-error';
export {meanSquaredError, type MeanSquaredErrorConfig} from './losses/mean-squared-error';
export {meanSquaredLogarithmicError, type MeanSquaredLogarithmicErrorConfig} from './losses/mean-squared-logarithmic-error';
export {poisson, type PoissonConfig} from './losses/poisson';
export {lossReductions, reduceLoss, type LossReduction, type ReduceLossOptions} from './losses/reduce-loss';
export {
  sparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyConfig,
  type SparseCategoricalCrossentropyOptions,
} from './losses/sparse-categorical-crossentropy';
export {squaredHinge, type SquaredHingeConfig} from './losses/squared-hinge';
export {layersPlugin} from './plugin';
export {activations, layers, losses} from './namespaces';
