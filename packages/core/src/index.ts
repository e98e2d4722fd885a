export type * from './spec/index';
export {isMultiInputLayer} from './spec/layer';
export {outputShapeOf} from './output-shape';
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
  describe,
  describeValue,
  isTrellisError,
} from './errors';
export type {TrellisErrorOptions, UnknownIdErrorOptions} from './errors';
export {createRegistry, defaultRegistry} from './registry';
export {aliasOf} from './alias';
export {withSpec} from './with-spec';
export {defineLoss} from './define-loss';
export type {DefineLossOptions, LossFn} from './define-loss';
export {checkNoOptions, checkOptions, closestKey, optionKeys} from './options-check';
export {checkBoolean, checkNumber, checkSeed} from './value-checks';
export type {NumberRange} from './value-checks';
export {createRng, getSeed, nextSeed, setSeed} from './seed';
export type {Rng} from './seed';
export {ensureGradients} from './gradients';
export {useBackend} from './backend';
export type {UseBackendOptions} from './backend';
export {chooseBackend} from './backend-choice';
export type {BackendCandidate, BackendChoice, ChooseBackendOptions, SkippedBackend} from './backend-choice';
export {kernelOverrides} from './kernel-overrides';
export type {KernelFactory, KernelOverrides} from './kernel-overrides';
export {StatefulOptimizer, applyUpdate} from './stateful-optimizer';
export type {NamedVariables} from './stateful-optimizer';
export {cloneTree, disposeReplaced, keepTree, tensorsIn, treeMismatch} from './state-tree';
export {Model} from './model/model';
export type {AnyModel} from './model/model';
export type {BatchOptions, CompileOptions, Compiled, EvaluateOptions, FitOptions, ModelData, Resolvable} from './model/options';
export {Sequential} from './model/sequential';
export {cloneModel} from './model/clone-model';
export type {CloneModelOptions} from './model/clone-model';
export {FunctionalModel, model} from './functional/functional-model';
export type {FunctionalOptions} from './functional/functional-model';
export {SymbolicTensor, applyLayer, input, isSymbolic} from './functional/symbolic';
export type {InputOptions, SymbolicSource} from './functional/symbolic';
export {valueAndGrads} from './custom-loops/value-and-grads';
export type {GradientTargets, ValueAndGrads} from './custom-loops/value-and-grads';
export {createTrainStep} from './custom-loops/create-train-step';
export type {CreateTrainStepOptions, RunOptions, TrainStep, TrainStepOptions} from './custom-loops/create-train-step';
export {globalNorm, normsByLayer, normsByVariable} from './custom-loops/gradient-norms';
export {layerTypeName} from './model/summary';
export type {LayerSummary, ModelSummary} from './model/summary';
export {WeightStore} from './model/weight-store';
export {withWeightBudget} from './model/weight-budget';
export {setModelSaver} from './model/model-saver';
export type {ModelSaver} from './model/model-saver';
export type {WeightBudget} from './model/weight-budget';
export type {Weight} from './model/weight-store';
export {CallbackList} from './training/callback-list';
export {History} from './training/history';
export type {TensorInput} from './training/inputs';
export type {ClassWeight} from './training/sample-weights';
export type {TestOnBatchOptions, TrainOnBatchOptions} from './training/on-batch';
export type {Shuffle} from './training/row-order';
export {autoVerbosity, progressLogger} from './training/progress-logger';
export type {ProgressLoggerOptions, Verbosity} from './training/progress-logger';
export type {YieldEvery} from './training/yield-every';
export type {BatchIterable, BatchTensors, Dataset, DatasetBatch, FitDatasetOptions} from './training/dataset';
export {RAN_OUT_OF_DATA} from './training/fit-dataset';
export {checkMonitor, isImprovement, resolveMode} from './monitor';
export type {MonitorMode} from './monitor';
