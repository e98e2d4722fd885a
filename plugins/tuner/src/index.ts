/**
 * `@trellis/tuner`: hyperparameter search with Keras Tuner's vocabulary and a
 * learning-rate range test.
 * @packageDocumentation
 */
export {HyperParameters} from './space/hyperparameters';
export type {HyperParametersJson} from './space/hyperparameters';
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
export {bayesianOptimization, gridSearch, hyperband, randomSearch} from './tuner/factories';
export type {BayesianOptimizationOptions, GridSearchOptions, HyperbandOptions, RandomSearchOptions} from './tuner/factories';
export type {Acquisition} from './oracles/bayesian';
export {hyperbandSchedule} from './oracles/hyperband';
export type {HyperbandRound} from './oracles/hyperband';
export {tuner} from './namespace';
export {lrFinder} from './lr-finder/lr-finder';
export type {LrFinderOptions, LrFinderResult, LrFinderStopReason, LrSuggestionName, LrSuggestions} from './lr-finder/lr-finder';
