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
export {
  activations,
  layers,
  losses,
  batchNormalization,
  conv2d,
  dense,
  dropout,
  flatten,
  maxPooling2d,
  binaryCrossentropy,
  categoricalCrossentropy,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from '@trellis/layers';
export {initializers} from '@trellis/initializers';
export {constraints, regularizers} from '@trellis/regularizers';
export {schedules} from '@trellis/schedules';
export {optimizers, adam, rmsprop, sgd} from '@trellis/optimizers';
export {metrics, accuracy} from '@trellis/metrics';
export {data, loadMnist} from '@trellis/data';
export {saving, loadModel, modelCheckpoint, saveModel} from '@trellis/serializers';
export {tensorboard} from '@trellis/tensorboard';
export {tuner, type HyperParameters, type Trial} from '@trellis/tuner';
export {plots} from '@trellis/plots';
export {backends, callbacks} from './namespaces';

// The everyday names, each also in its namespace (`dense` is `layers.dense`).
export {
  Sequential,
  input,
  model,
  setSeed,
  BackendError,
  ConfigError,
  DataError,
  DTypeError,
  FormatError,
  ShapeError,
  StateError,
  TrellisError,
  UnknownIdError,
  type AnyModel,
  type Artifacts,
  type BackendCandidate,
  type BackendCapabilities,
  type BackendChoice,
  type BackendPlugin,
  type BatchIterable,
  type BatchOptions,
  type BatchTensors,
  type BuildContext,
  type CallContext,
  type Callback,
  type ClassWeight,
  type CompileOptions,
  type Constraint,
  type Dataset,
  type DatasetBatch,
  type EvaluateOptions,
  type Factories,
  type Factory,
  type FitContext,
  type FitDatasetOptions,
  type FitHistory,
  type FitOptions,
  type FitParams,
  type FunctionalModel,
  type FunctionalOptions,
  type GradientTransform,
  type History,
  type Hook,
  type Initializer,
  type InputOptions,
  type Json,
  type Kind,
  type Layer,
  type LayerSummary,
  type Logger,
  type Loss,
  type Metric,
  type ModelData,
  type ModelSummary,
  type MultiInputLayer,
  type NamedTensors,
  type Optimizer,
  type OptimizerState,
  type Plugin,
  type Registry,
  type Regularizer,
  type ScalarOrSchedule,
  type Schedule,
  type Serializable,
  type Serializer,
  type Shape,
  type Shuffle,
  type SkippedBackend,
  type Spec,
  type StateTree,
  type StepInspection,
  type SymbolicTensor,
  type TargetKind,
  type TensorInput,
  type TestOnBatchOptions,
  type TrainingModel,
  type TrainingOptimizer,
  type TrainingState,
  type TrainOnBatchOptions,
  type TransformResult,
  type UpdateExtras,
  type UseBackendOptions,
  type Verbosity,
  type WeightRequest,
  type YieldEvery,
} from '@trellis/core';
export {useBackend} from './use-backend';
export {createTrellis, defaultPlugins, type Trellis, type TrellisOptions} from './create-trellis';
export {earlyStopping} from '@trellis/callbacks';

// The error classes, for `instanceof` (across duplicate package copies, prefer `isTrellisError` of `@trellis/core`).

// Core's contracts and the types users annotate with.
export type {BackendCandidatesOptions, OptionalBackendPackage} from './backend-candidates';
export type {BackendPackageDiagnosis, BackendsDiagnoseOptions, BackendsDiagnosis} from './diagnose-backends';
