export type {SymbolicLayer, SymbolicMergeLayer} from './layers/symbolic-layer';
export {elu} from './activations/elu';
export type {EluConfig} from './activations/elu';
export {gelu} from './activations/gelu';
export type {GeluConfig} from './activations/gelu';
export {activationNames, activationToName, getActivation} from './activations/get-activation';
export {hardSigmoid} from './activations/hard-sigmoid';
export {leakyRelu} from './activations/leaky-relu';
export type {LeakyReluConfig} from './activations/leaky-relu';
export {linear} from './activations/linear';
export {logSoftmax} from './activations/log-softmax';
export type {LogSoftmaxConfig} from './activations/log-softmax';
export {mish} from './activations/mish';
export {relu} from './activations/relu';
export {relu6} from './activations/relu6';
export {selu} from './activations/selu';
export {sigmoid} from './activations/sigmoid';
export {softmax} from './activations/softmax';
export type {SoftmaxConfig} from './activations/softmax';
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
export {activation} from './layers/activation';
export type {ActivationLayer, ActivationLayerConfig, ActivationOptions} from './layers/activation';
export {add} from './layers/add';
export {alphaDropout} from './layers/alpha-dropout';
export type {AlphaDropoutConfig, AlphaDropoutLayer, AlphaDropoutOptions} from './layers/alpha-dropout';
export {average} from './layers/average';
export {averagePooling1d} from './layers/average-pooling1d';
export type {AveragePooling1dConfig, AveragePooling1dLayer, AveragePooling1dOptions} from './layers/average-pooling1d';
export {averagePooling2d} from './layers/average-pooling2d';
export type {AveragePooling2dConfig, AveragePooling2dLayer, AveragePooling2dOptions} from './layers/average-pooling2d';
export {batchNormalization} from './layers/batch-normalization';
export type {
  BatchNormalizationConfig,
  BatchNormalizationLayer,
  BatchNormalizationOptions,
} from './layers/batch-normalization';
export type {MergeConfig, MergeOptions} from './layers/base-merge';
export type {SpecJson} from './layers/common';
export {concatenate} from './layers/concatenate';
export type {ConcatenateConfig, ConcatenateLayer, ConcatenateOptions} from './layers/concatenate';
export type {AxisPairs, DataFormat, Padding} from './layers/conv-common';
export {conv1d} from './layers/conv1d';
export type {Conv1dConfig, Conv1dLayer, Conv1dOptions} from './layers/conv1d';
export {conv2d} from './layers/conv2d';
export type {Conv2dConfig, Conv2dLayer, Conv2dOptions} from './layers/conv2d';
export {conv2dTranspose} from './layers/conv2d-transpose';
export type {Conv2dTransposeConfig, Conv2dTransposeLayer, Conv2dTransposeOptions} from './layers/conv2d-transpose';
export {cropping2d} from './layers/cropping2d';
export type {Cropping2dConfig, Cropping2dLayer, Cropping2dOptions} from './layers/cropping2d';
export {depthwiseConv2d} from './layers/depthwise-conv2d';
export type {DepthwiseConv2dConfig, DepthwiseConv2dLayer, DepthwiseConv2dOptions} from './layers/depthwise-conv2d';
export {dense} from './layers/dense';
export type {DenseConfig, DenseLayer, DenseOptions} from './layers/dense';
export {dropout} from './layers/dropout';
export type {DropoutConfig, DropoutLayer, DropoutOptions} from './layers/dropout';
export {eluLayer} from './layers/elu';
export type {EluLayer, EluLayerConfig, EluLayerOptions} from './layers/elu';
export {embedding} from './layers/embedding';
export type {EmbeddingConfig, EmbeddingLayer, EmbeddingOptions} from './layers/embedding';
export {flatten} from './layers/flatten';
export type {FlattenConfig, FlattenOptions} from './layers/flatten';
export {gaussianDropout} from './layers/gaussian-dropout';
export type {GaussianDropoutConfig, GaussianDropoutLayer, GaussianDropoutOptions} from './layers/gaussian-dropout';
export {gaussianNoise} from './layers/gaussian-noise';
export type {GaussianNoiseConfig, GaussianNoiseLayer, GaussianNoiseOptions} from './layers/gaussian-noise';
export {globalAveragePooling1d} from './layers/global-average-pooling1d';
export type {
  GlobalAveragePooling1dConfig,
  GlobalAveragePooling1dLayer,
  GlobalAveragePooling1dOptions,
} from './layers/global-average-pooling1d';
export {globalAveragePooling2d} from './layers/global-average-pooling2d';
export type {
  GlobalAveragePooling2dConfig,
  GlobalAveragePooling2dLayer,
  GlobalAveragePooling2dOptions,
} from './layers/global-average-pooling2d';
export {globalMaxPooling1d} from './layers/global-max-pooling1d';
export type {
  GlobalMaxPooling1dConfig,
  GlobalMaxPooling1dLayer,
  GlobalMaxPooling1dOptions,
} from './layers/global-max-pooling1d';
export {globalMaxPooling2d} from './layers/global-max-pooling2d';
export type {
  GlobalMaxPooling2dConfig,
  GlobalMaxPooling2dLayer,
  GlobalMaxPooling2dOptions,
} from './layers/global-max-pooling2d';
export {layerNormalization} from './layers/layer-normalization';
export type {LayerNormalizationConfig, LayerNormalizationLayer, LayerNormalizationOptions} from './layers/layer-normalization';
export {leakyReLU} from './layers/leaky-relu';
export type {LeakyReluLayer, LeakyReluLayerConfig, LeakyReluLayerOptions} from './layers/leaky-relu';
export type {LeakyReLUConfig, LeakyReLULayer, LeakyReLUOptions} from './layers/leaky-relu';
export {maxPooling1d} from './layers/max-pooling1d';
export type {MaxPooling1dConfig, MaxPooling1dLayer, MaxPooling1dOptions} from './layers/max-pooling1d';
export {maxPooling2d} from './layers/max-pooling2d';
export type {MaxPooling2dConfig, MaxPooling2dLayer, MaxPooling2dOptions} from './layers/max-pooling2d';
export {maximum} from './layers/maximum';
export {minimum} from './layers/minimum';
export {multiply} from './layers/multiply';
export {normalization} from './layers/normalization';
export type {NormalizationConfig, NormalizationLayer, NormalizationOptions} from './layers/normalization';
export {permute} from './layers/permute';
export type {PermuteConfig, PermuteLayer, PermuteOptions} from './layers/permute';
export {prelu} from './layers/prelu';
export type {PReLUConfig, PReLULayer, PReLUOptions} from './layers/prelu';
export type {FillMode, Interpolation} from './layers/image-augmentation';
export {randomBrightness} from './layers/random-brightness';
export type {RandomBrightnessConfig, RandomBrightnessLayer, RandomBrightnessOptions} from './layers/random-brightness';
export {randomContrast} from './layers/random-contrast';
export type {RandomContrastConfig, RandomContrastLayer, RandomContrastOptions} from './layers/random-contrast';
export {randomCrop} from './layers/random-crop';
export type {RandomCropConfig, RandomCropLayer, RandomCropOptions} from './layers/random-crop';
export {randomFlip} from './layers/random-flip';
export type {FlipMode, RandomFlipConfig, RandomFlipLayer, RandomFlipOptions} from './layers/random-flip';
export {randomRotation} from './layers/random-rotation';
export type {RandomRotationConfig, RandomRotationLayer, RandomRotationOptions} from './layers/random-rotation';
export {randomShear} from './layers/random-shear';
export type {RandomShearConfig, RandomShearLayer, RandomShearOptions} from './layers/random-shear';
export {randomTranslation} from './layers/random-translation';
export type {RandomTranslationConfig, RandomTranslationLayer, RandomTranslationOptions} from './layers/random-translation';
export {randomZoom} from './layers/random-zoom';
export type {RandomZoomConfig, RandomZoomLayer, RandomZoomOptions} from './layers/random-zoom';
export {reLU} from './layers/relu';
export type {ReLUConfig, ReLULayer, ReLUOptions} from './layers/relu';
export {rescaling} from './layers/rescaling';
export type {RescalingConfig, RescalingLayer, RescalingOptions} from './layers/rescaling';
export {reshape} from './layers/reshape';
export type {ReshapeConfig, ReshapeLayer, ReshapeOptions} from './layers/reshape';
export {softmaxLayer} from './layers/softmax';
export type {SoftmaxLayer, SoftmaxLayerConfig, SoftmaxLayerOptions} from './layers/softmax';
export {separableConv2d} from './layers/separable-conv2d';
export type {SeparableConv2dConfig, SeparableConv2dLayer, SeparableConv2dOptions} from './layers/separable-conv2d';
export {spatialDropout1d} from './layers/spatial-dropout1d';
export type {SpatialDropout1dConfig, SpatialDropout1dLayer, SpatialDropout1dOptions} from './layers/spatial-dropout1d';
export {spatialDropout2d} from './layers/spatial-dropout2d';
export type {SpatialDropout2dConfig, SpatialDropout2dLayer, SpatialDropout2dOptions} from './layers/spatial-dropout2d';
export {subtract} from './layers/subtract';
export {upSampling2d} from './layers/up-sampling2d';
export type {
  UpSampling2dConfig,
  UpSampling2dLayer,
  UpSampling2dOptions,
  UpSamplingInterpolation,
} from './layers/up-sampling2d';
export {zeroPadding2d} from './layers/zero-padding2d';
export type {ZeroPadding2dConfig, ZeroPadding2dLayer, ZeroPadding2dOptions} from './layers/zero-padding2d';
export {binaryCrossentropy} from './losses/binary-crossentropy';
export type {BinaryCrossentropyConfig, BinaryCrossentropyOptions} from './losses/binary-crossentropy';
export {binaryFocalCrossentropy} from './losses/binary-focal-crossentropy';
export type {
  BinaryFocalCrossentropyConfig,
  BinaryFocalCrossentropyOptions,
} from './losses/binary-focal-crossentropy';
export {categoricalCrossentropy} from './losses/categorical-crossentropy';
export type {CategoricalCrossentropyConfig, CategoricalCrossentropyOptions} from './losses/categorical-crossentropy';
export {categoricalFocalCrossentropy} from './losses/categorical-focal-crossentropy';
export type {
  CategoricalFocalCrossentropyConfig,
  CategoricalFocalCrossentropyOptions,
} from './losses/categorical-focal-crossentropy';
export {categoricalHinge} from './losses/categorical-hinge';
export type {CategoricalHingeConfig} from './losses/categorical-hinge';
export {cosineSimilarity} from './losses/cosine-similarity';
export type {CosineSimilarityConfig, CosineSimilarityOptions} from './losses/cosine-similarity';
export {getLoss, lossNames} from './losses/get-loss';
export type {LossName} from './losses/get-loss';
export {hinge} from './losses/hinge';
export type {HingeConfig} from './losses/hinge';
export {huber} from './losses/huber';
export type {HuberConfig, HuberOptions} from './losses/huber';
export {kullbackLeiblerDivergence} from './losses/kullback-leibler-divergence';
export type {KullbackLeiblerDivergenceConfig} from './losses/kullback-leibler-divergence';
export {logCosh} from './losses/log-cosh';
export type {LogCoshConfig} from './losses/log-cosh';
export {meanAbsoluteError} from './losses/mean-absolute-error';
export type {MeanAbsoluteErrorConfig} from './losses/mean-absolute-error';
export {meanAbsolutePercentageError} from './losses/mean-absolute-percentage-error';
export type {MeanAbsolutePercentageErrorConfig} from './losses/mean-absolute-percentage-error';
export {meanSquaredError} from './losses/mean-squared-error';
export type {MeanSquaredErrorConfig} from './losses/mean-squared-error';
export {meanSquaredLogarithmicError} from './losses/mean-squared-logarithmic-error';
export type {MeanSquaredLogarithmicErrorConfig} from './losses/mean-squared-logarithmic-error';
export {poisson} from './losses/poisson';
export type {PoissonConfig} from './losses/poisson';
export {lossReductions, reduceLoss} from './losses/reduce-loss';
export type {LossReduction, ReduceLossOptions} from './losses/reduce-loss';
export {sparseCategoricalCrossentropy} from './losses/sparse-categorical-crossentropy';
export type {
  SparseCategoricalCrossentropyConfig,
  SparseCategoricalCrossentropyOptions,
} from './losses/sparse-categorical-crossentropy';
export {squaredHinge} from './losses/squared-hinge';
export type {SquaredHingeConfig} from './losses/squared-hinge';
export {layersPlugin} from './plugin';
export {activations, layers, losses} from './namespaces';
