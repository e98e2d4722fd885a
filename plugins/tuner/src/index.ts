/**
 * `@trellis/tuner`: hyperparameter search with Keras Tuner's vocabulary and a
 * learning-rate range test.
 * @packageDocumentation
 */
export {HyperParameters, type HyperParametersJson} from './space/hyperparameters';
export type {BooleanOptions, ChoiceOptions, FloatOptions, IntOptions} from './space/define';
export type {
  BooleanHyperParameter,
  ChoiceHyperParameter,
  Condition,
  FixedHyperParameter,
  FloatHyperParameter,
  HpValue,
  HyperParameter,
  IntHyperParameter,
  Sampling,
} from './space/hyperparameter';
export type {Direction, Objective, ObjectiveOption} from './objective';
export type {Trial, TrialStatus} from './trial';
export {Tuner} from './tuner/tuner';
export type {RunTrial, RunTrialContext, TunerOptions} from './tuner/options';
export type {BuildModel} from './tuner/run-trial';
export {
  bayesianOptimization,
  gridSearch,
  hyperband,
  randomSearch,
  type BayesianOptimizationOptions,
  type GridSearchOptions,
  type HyperbandOptions,
  type RandomSearchOptions,
} from './tuner/factories';
export type {Acquisition} from './oracles/bayesian';
export {hyperbandSchedule, type HyperbandRound} from './oracles/hyperband';
export {tuner} from './namespace';
export {
  lrFinder,
  type LrFinderOptions,
  type LrFinderResult,
  type LrFinderStopReason,
  type LrSuggestionName,
  type LrSuggestions,
} from './lr-finder/lr-finder';
