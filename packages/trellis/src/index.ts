/**
 * `trellis`, batteries included: the Keras-style namespaces, about 25 everyday
 * names, the error classes and core's public types. Everything else is
 * imported from its scoped package (`import {gelu} from '@trellis/layers'`).
 * @module
 */

// The package's one side effect: tfjs-core's chained tensor methods (`x.slice(...)`, `x.add(y)`) on every
// tensor, as tfjs' union package and Keras users have them (see README, "Chained tensor methods").
import 'trellis/chained-ops';

// Namespaces, each a frozen object of plain names: `layers.dense`, `optimizers.adam`, `saving.saveModel`.
export {activations, layers, losses} from '@trellis/layers';
export {initializers} from '@trellis/initializers';
export {constraints, regularizers} from '@trellis/regularizers';
export {schedules} from '@trellis/schedules';
export {optimizers} from '@trellis/optimizers';
export {metrics} from '@trellis/metrics';
export {data} from '@trellis/data';
export {saving} from '@trellis/serializers';
export {tensorboard} from '@trellis/tensorboard';
export {tuner} from '@trellis/tuner';
export {plots} from '@trellis/plots';
export {backends, callbacks} from './namespaces';

// The everyday names, each also in its namespace (`dense` is `layers.dense`).
export {Sequential, input, model, setSeed} from '@trellis/core';
export {useBackend} from './use-backend';
export {createTrellis, defaultPlugins} from './create-trellis';
export {batchNormalization, conv2d, dense, dropout, flatten, maxPooling2d} from '@trellis/layers';
export {binaryCrossentropy, categoricalCrossentropy, meanSquaredError, sparseCategoricalCrossentropy} from '@trellis/layers';
export {adam, rmsprop, sgd} from '@trellis/optimizers';
export {accuracy} from '@trellis/metrics';
export {earlyStopping} from '@trellis/callbacks';
export {loadModel, modelCheckpoint, saveModel} from '@trellis/serializers';
export {loadMnist} from '@trellis/data';

// The error classes, for `instanceof` (across duplicate package copies, prefer `isTrellisError` of `@trellis/core`).
export {
  BackendError,
  ConfigError,
  DataError,
  DTypeError,
  FormatError,
  ShapeError,
  StateError,
  TrellisError,
  UnknownIdError,
} from '@trellis/core';

// Core's contracts and the types users annotate with.
export type {
  AnyModel,
  Artifacts,
  BackendCandidate,
  BackendCapabilities,
  BackendChoice,
  BackendPlugin,
  BatchIterable,
  BatchOptions,
  BatchTensors,
  BuildContext,
  CallContext,
  Callback,
  ClassWeight,
  CompileOptions,
  Constraint,
  Dataset,
  DatasetBatch,
  EvaluateOptions,
  Factories,
  Factory,
  FitContext,
  FitDatasetOptions,
  FitHistory,
  FitOptions,
  FitParams,
  FunctionalModel,
  FunctionalOptions,
  GradientTransform,
  History,
  Hook,
  Initializer,
  InputOptions,
  Json,
  Kind,
  Layer,
  LayerSummary,
  Logger,
  Loss,
  Metric,
  ModelData,
  ModelSummary,
  MultiInputLayer,
  NamedTensors,
  Optimizer,
  OptimizerState,
  Plugin,
  Registry,
  Regularizer,
  ScalarOrSchedule,
  Schedule,
  Serializable,
  Serializer,
  Shape,
  Shuffle,
  SkippedBackend,
  Spec,
  StateTree,
  StepInspection,
  SymbolicTensor,
  TargetKind,
  TensorInput,
  TestOnBatchOptions,
  TrainingModel,
  TrainingOptimizer,
  TrainingState,
  TrainOnBatchOptions,
  TransformResult,
  UpdateExtras,
  UseBackendOptions,
  Verbosity,
  WeightRequest,
  YieldEvery,
} from '@trellis/core';
export type {Trellis, TrellisOptions} from './create-trellis';
export type {HyperParameters, Trial} from '@trellis/tuner';
export type {BackendCandidatesOptions, OptionalBackendPackage} from './backend-candidates';
export type {BackendPackageDiagnosis, BackendsDiagnoseOptions, BackendsDiagnosis} from './diagnose-backends';
