export {activationNames, getActivation} from './activations/get-activation';
export {linear} from './activations/linear';
export {relu} from './activations/relu';
export {sigmoid} from './activations/sigmoid';
export {softmax} from './activations/softmax';
export {tanh} from './activations/tanh';
export type {Activation, ActivationConfig, ActivationIdentifier, ActivationName} from './activations/types';
export {activation} from './layers/activation';
export type {ActivationLayer, ActivationLayerConfig, ActivationOptions} from './layers/activation';
export type {SpecJson} from './layers/common';
export {dense} from './layers/dense';
export type {DenseConfig, DenseLayer, DenseOptions} from './layers/dense';
export {dropout} from './layers/dropout';
export type {DropoutConfig, DropoutLayer, DropoutOptions} from './layers/dropout';
export {flatten} from './layers/flatten';
export type {FlattenConfig, FlattenOptions} from './layers/flatten';
export {binaryCrossentropy} from './losses/binary-crossentropy';
export type {BinaryCrossentropyConfig, BinaryCrossentropyOptions} from './losses/binary-crossentropy';
export {categoricalCrossentropy} from './losses/categorical-crossentropy';
export type {CategoricalCrossentropyConfig, CategoricalCrossentropyOptions} from './losses/categorical-crossentropy';
export {getLoss, lossNames} from './losses/get-loss';
export type {LossName} from './losses/get-loss';
export {meanSquaredError} from './losses/mean-squared-error';
export type {MeanSquaredErrorConfig} from './losses/mean-squared-error';
export {sparseCategoricalCrossentropy} from './losses/sparse-categorical-crossentropy';
export type {
  SparseCategoricalCrossentropyConfig,
  SparseCategoricalCrossentropyOptions,
} from './losses/sparse-categorical-crossentropy';
export {layersPlugin} from './plugin';
