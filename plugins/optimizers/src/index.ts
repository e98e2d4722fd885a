export {accumulateGradients, type AccumulateGradientsState} from './accumulate-gradients';
export {adadelta, type AdadeltaConfig, type AdadeltaOptions} from './adadelta';
export {adagrad, type AdagradConfig, type AdagradOptions} from './adagrad';
export {adam, type AdamConfig, type AdamOptions} from './adam';
export {adamax, type AdamaxConfig, type AdamaxOptions} from './adamax';
export {adamw, type AdamwConfig, type AdamwOptions} from './adamw';
export {addDecayedWeights, type AddDecayedWeightsOptions, type WeightDecayMask} from './add-decayed-weights';
export {chain} from './chain';
export {clipByGlobalNorm} from './clip-by-global-norm';
export {clipByNorm} from './clip-by-norm';
export {clipByValue} from './clip-by-value';
export {decoupledWeightDecay, type DecoupledWeightDecayOptions, type DecoupledWeightDecayState} from './decoupled-weight-decay';
export {
  defineOptimizer,
  type BooleanOptionDeclaration,
  type DeclaredConfig,
  type DeclaredOptions,
  type DefinedOptimizer,
  type NumberOptionDeclaration,
  type OptimizerDefinition,
  type OptionDeclarations,
} from './define-optimizer';
export {ema, type EmaOptions, type EmaState} from './ema';
export type {LearningRateJson} from './learning-rate';
export {identity, type EmptyState} from './identity';
export {lamb, type LambConfig, type LambOptions} from './lamb';
export {lion, type LionConfig, type LionOptions} from './lion';
export type {CommonOptimizerOptions, CommonTrainingConfig, CommonTrainingOptions, NamedOptimizerConfig} from './named-optimizer';
export {nadam, type NadamConfig, type NadamOptions} from './nadam';
export {optimizersPlugin} from './plugin';
export {rmsprop, type RmspropConfig, type RmspropOptions} from './rmsprop';
export {scale} from './scale';
export {scaleByAdadelta, type ScaleByAdadeltaOptions, type ScaleByAdadeltaState} from './scale-by-adadelta';
export {scaleByAdagrad, type ScaleByAdagradOptions, type ScaleByAdagradState} from './scale-by-adagrad';
export {scaleByAdam, type ScaleByAdamOptions, type ScaleByAdamState} from './scale-by-adam';
export {scaleByAdamax, type ScaleByAdamaxOptions, type ScaleByAdamaxState} from './scale-by-adamax';
export {scaleByLearningRate, type ScaleByLearningRateState} from './scale-by-learning-rate';
export {scaleByLion, type ScaleByLionOptions, type ScaleByLionState} from './scale-by-lion';
export {scaleByMomentum, type ScaleByMomentumOptions, type ScaleByMomentumState} from './scale-by-momentum';
export {scaleByNadam, type ScaleByNadamOptions, type ScaleByNadamState} from './scale-by-nadam';
export {scaleByRms, type ScaleByRmsOptions, type ScaleByRmsState} from './scale-by-rms';
export {scaleByTrustRatio} from './scale-by-trust-ratio';
export {sgd, type SgdConfig, type SgdOptions} from './sgd';
export {slotTransform, type SlotState, type SlotStep, type SlotTransformParts, type SlotUpdate} from './slot-transform';
export {mapNamed, stateless} from './stateless';
export {TrellisTfjsOptimizer, toTfjsOptimizer, type NamedTfjsTensor} from './to-tfjs-optimizer';
export {optimizers} from './namespace';
