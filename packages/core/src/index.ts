export type * from './spec/index';
export {isMultiInputLayer} from './spec/layer';
export {outputShapeOf} from './output-shape';
export * from './errors';
export {createRegistry, defaultRegistry} from './registry';
export {aliasOf} from './alias';
export {withSpec} from './with-spec';
export {defineLoss, type DefineLossOptions, type LossFn} from './define-loss';
export {checkNoOptions, checkOptions, closestKey, optionKeys} from './options-check';
export {checkBoolean, checkNumber, checkSeed, type NumberRange} from './value-checks';
export {createRng, getSeed, nextSeed, setSeed, type Rng} from './seed';
export {ensureGradients} from './gradients';
export {useBackend, type UseBackendOptions} from './backend';
export {chooseBackend, type BackendCandidate, type BackendChoice, type ChooseBackendOptions, type SkippedBackend} from './backend-choice';
export {kernelOverrides, type KernelFactory, type KernelOverrides} from './kernel-overrides';
export {peerPackageLoader} from './peer-package';
export {StatefulOptimizer, applyUpdate, type NamedVariables} from './stateful-optimizer';
export {cloneTree, disposeReplaced, keepTree, tensorsIn, treeMismatch} from './state-tree';
export {Model, type AnyModel} from './model/model';
export type {BatchOptions, CompileOptions, Compiled, EvaluateOptions, FitOptions, ModelData, Resolvable} from './model/options';
export {Sequential} from './model/sequential';
export {cloneModel, type CloneModelOptions} from './model/clone-model';
export {FunctionalModel, model, type FunctionalOptions} from './functional/functional-model';
export {SymbolicTensor, applyLayer, input, isSymbolic, type InputOptions, type SymbolicSource} from './functional/symbolic';
export {valueAndGrads, type GradientTargets, type ValueAndGrads} from './custom-loops/value-and-grads';
export {
  createTrainStep,
  type CreateTrainStepOptions,
  type RunOptions,
  type TrainStep,
  type TrainStepOptions,
} from './custom-loops/create-train-step';
export {globalNorm, normsByLayer, normsByVariable} from './custom-loops/gradient-norms';
export {layerTypeName, type LayerSummary, type ModelSummary} from './model/summary';
export {WeightStore, type Weight} from './model/weight-store';
export {withWeightBudget, type WeightBudget} from './model/weight-budget';
export {setModelSaver, type ModelSaver} from './model/model-saver';
export {CallbackList} from './training/callback-list';
export {History} from './training/history';
export type {TensorInput} from './training/inputs';
export type {ClassWeight} from './training/sample-weights';
export type {TestOnBatchOptions, TrainOnBatchOptions} from './training/on-batch';
export type {Shuffle} from './training/row-order';
export {autoVerbosity, progressLogger, type ProgressLoggerOptions, type Verbosity} from './training/progress-logger';
export type {YieldEvery} from './training/yield-every';
export type {BatchIterable, BatchTensors, Dataset, DatasetBatch, FitDatasetOptions} from './training/dataset';
export {RAN_OUT_OF_DATA} from './training/fit-dataset';
export {checkMonitor, isImprovement, resolveMode, type MonitorMode} from './monitor';
export {
  importNodeBuiltins,
  syncFolder,
  writeFileAtomic,
  writeFileSynced,
  type FileWriter,
  type NodeBuiltins,
  type NodeFs,
  type WriteFileAtomicOptions,
} from './node-files';
