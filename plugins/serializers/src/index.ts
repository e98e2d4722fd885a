/**
 * `@trellis/serializers`: Trellis models in the TensorFlow.js layers format
 * (`model.json` + 4 MB weight shards), both ways with tfjs-layers, and the
 * Keras class-config mapping both ways.
 * @module
 */
export {
  saveModel,
  loadModel,
  saveWeights,
  loadWeights,
  type SaveModelOptions,
  type LoadModelOptions,
  type SaveWeightsOptions,
  type LoadWeightsOptions,
} from './save-load';
export {saving} from './namespace';
export type {Destination, WriteOptions} from './io';
export type {ModelFormat} from './keras-format/file-format';
export {KerasFilesMissingError} from './keras-format/keras-files-module';
export type {ReadLimits} from './tfjs-format/model-json';
export type {TrellisBlock, CompileConfig, OptimizerBlock, StateNode, TrellisFileKind} from './tfjs-format/trellis-block';
export {modelCheckpoint, type ModelCheckpointCallback, type ModelCheckpointConfig, type ModelCheckpointOptions} from './model-checkpoint';
export {serializersPlugin} from './plugin';
export {tfjsLayersSerializer, MODEL_TOPOLOGY_SPEC_ID, type TfjsLayersSerializerOptions} from './serializer';
export {kerasLayerConfig, layerSpecFromKeras, kerasLayerIds, kerasLayerClassNames} from './keras-config/layers';
export {kerasModelConfig, modelFromKerasConfig} from './keras-config/model';
export {kerasActivation, activationFromKeras} from './keras-config/activations';
export {kerasNested, nestedFromKeras, nestedIds, type NestedKind} from './keras-config/nested';
export {kerasOptimizerConfig, optimizerSpecFromKeras, lossSpecFromKeras, metricSpecFromKeras} from './keras-config/training';
export type {KerasClassConfig, KerasDialect, KerasWriteOptions} from './keras-config/types';
