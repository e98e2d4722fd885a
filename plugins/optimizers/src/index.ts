export {accumulateGradients} from './accumulate-gradients';
export type {AccumulateGradientsState} from './accumulate-gradients';
export {adadelta} from './adadelta';
export type {AdadeltaConfig, AdadeltaOptions} from './adadelta';
export {adagrad} from './adagrad';
export type {AdagradConfig, AdagradOptions} from './adagrad';
export {adam} from './adam';
export type {AdamConfig, AdamOptions} from './adam';
export {adamax} from './adamax';
export type {AdamaxConfig, AdamaxOptions} from './adamax';
export {adamw} from './adamw';
export type {AdamwConfig, AdamwOptions} from './adamw';
export {addDecayedWeights} from './add-decayed-weights';
export type {AddDecayedWeightsOptions, WeightDecayMask} from './add-decayed-weights';
export {chain} from './chain';
export {clipByGlobalNorm} from './clip-by-global-norm';
export {clipByNorm} from './clip-by-norm';
export {clipByValue} from './clip-by-value';
export {decoupledWeightDecay} from './decoupled-weight-decay';
export type {DecoupledWeightDecayOptions, DecoupledWeightDecayState} from './decoupled-weight-decay';
export {defineOptimizer} from './define-optimizer';
export type {
  BooleanOptionDeclaration,
  DeclaredConfig,
  DeclaredOptions,
  DefinedOptimizer,
  NumberOptionDeclaration,
  OptimizerDefinition,
  OptionDeclarations,
} from './define-optimizer';
export {ema} from './ema';
export type {EmaOptions, EmaState} from './ema';
export type {LearningRateJson} from './learning-rate';
export {identity} from './identity';
export type {EmptyState} from './identity';
export {lamb} from './lamb';
export type {LambConfig, LambOptions} from './lamb';
export {lion} from './lion';
export type {LionConfig, LionOptions} from './lion';
export type {CommonOptimizerOptions, CommonTrainingConfig, CommonTrainingOptions, NamedOptimizerConfig} from './named-optimizer';
export {nadam} from './nadam';
export type {NadamConfig, NadamOptions} from './nadam';
export {optimizersPlugin} from './plugin';
export {rmsprop} from './rmsprop';
export type {RmspropConfig, RmspropOptions} from './rmsprop';
export {scale} from './scale';
export {scaleByAdadelta} from './scale-by-adadelta';
export type {ScaleByAdadeltaOptions, ScaleByAdadeltaState} from './scale-by-adadelta';
export {scaleByAdagrad} from './scale-by-adagrad';
export type {ScaleByAdagradOptions, ScaleByAdagradState} from './scale-by-adagrad';
export {scaleByAdam} from './scale-by-adam';
export type {ScaleByAdamOptions, ScaleByAdamState} from './scale-by-adam';
export {scaleByAdamax} from './scale-by-adamax';
export type {ScaleByAdamaxOptions, ScaleByAdamaxState} from './scale-by-adamax';
export {scaleByLearningRate} from './scale-by-learning-rate';
export type {ScaleByLearningRateState} from './scale-by-learning-rate';
export {scaleByLion} from './scale-by-lion';
export type {ScaleByLionOptions, ScaleByLionState} from './scale-by-lion';
export {scaleByMomentum} from './scale-by-momentum';
export type {ScaleByMomentumOptions, ScaleByMomentumState} from './scale-by-momentum';
export {scaleByNadam} from './scale-by-nadam';
export type {ScaleByNadamOptions, ScaleByNadamState} from './scale-by-nadam';
export {scaleByRms} from './scale-by-rms';
export type {ScaleByRmsOptions, ScaleByRmsState} from './scale-by-rms';
export {scaleByTrustRatio} from './scale-by-trust-ratio';
export {sgd} from './sgd';
export {slotTransform} from './slot-transform';
export type {SlotState, SlotStep, SlotTransformParts, SlotUpdate} from './slot-transform';
export {mapNamed, stateless} from './stateless';
export type {SgdConfig, SgdOptions} from './sgd';
export {TrellisTfjsOptimizer, toTfjsOptimizer} from './to-tfjs-optimizer';
export type {NamedTfjsTensor} from './to-tfjs-optimizer';
export {optimizers} from './namespace';
