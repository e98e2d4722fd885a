/**
 * `Tuner`: Keras Tuner's workflow: `search`, `resultsSummary`,
 * `getBestHyperparameters`, `getBestModels`.
 * @module
 */
import {
  ConfigError,
  StateError,
  checkNumber,
  setSeed,
  type AnyModel,
  type FitOptions,
  type ModelData,
  type TensorInput,
} from '@trellis/core';
import {isBetter, type Objective} from '../objective';
import type {OracleDefinition} from '../oracles/oracle';
import {loadHypermodel} from '../parallel/hypermodel-module';
import {describeHyperParameter, type HyperParameter} from '../space/hyperparameter';
import {HyperParameters} from '../space/hyperparameters';
import type {Trial} from '../trial';
import type {TunerSettings} from './options';
import {executionSeed, type BuildModel} from './run-trial';
import {runSearch} from './search';
import {summaryText} from './summary';
import {writeWeights} from './weights';
import type {TrialStore} from './store';

/**
 * A hyperparameter search (Keras Tuner's `Tuner`), made by `randomSearch`,
 * `gridSearch`, `hyperband` or `bayesianOptimization`.
 */
export class Tuner {
  readonly #settings: TunerSettings;
  readonly #oracle: OracleDefinition;
  /** The objective that scores trials. */
  readonly objective: Objective;
  #trials: Trial[] = [];
  #space: HyperParameter[] = [];
  #store: TrialStore | null = null;
  #searching = false;
  #inputShape: number[] | null = null;

  /** @internal Use the tuner factories. */
  constructor(settings: TunerSettings, oracle: OracleDefinition, objective: Objective) {
    this.#settings = settings;
    this.#oracle = oracle;
    this.objective = objective;
  }

  /** Which oracle decides the trials (`'randomSearch'`...) and its settings. */
  get oracle(): {readonly name: string; readonly config: unknown} {
    return {name: this.#oracle.name, config: this.#oracle.config};
  }

  /** Every trial of the last search, in order. */
  get trials(): readonly Trial[] {
    return [...this.#trials];
  }

  /** The search space as the last search discovered it. */
  get space(): readonly HyperParameter[] {
    return [...this.#space];
  }

  /** The project folder (`directory/projectName`), or null in memory. */
  get projectDir(): string | null {
    return this.#store?.location ?? null;
  }

  /**
   * Runs the search (Keras Tuner's `search`): discovers the space by
   * building with default values, then runs trials until the oracle stops
   * or `maxTrials` is reached. Each trial builds a model with `buildModel`
   * (seeded), fits it on `x`, `y` with `fitOptions` (its callbacks go to
   * every trial; Hyperband sets `epochs` and `initialEpoch`) and is scored
   * by the objective at its best epoch. A trial whose `buildModel` or fit
   * throws is marked `'FAILED'` with the error and the search goes on (up to
   * `maxConsecutiveFailedTrials` in a row). With a `directory`, each trial
   * is written as it starts and ends, and a search started again with
   * `overwrite: false` reruns only the trial that was running when it was
   * stopped. `x`, `y` and `fitOptions`' tensors are not disposed; every model
   * and tensor the search makes is.
   *
   * @returns every trial, in order.
   * @throws ConfigError when the objective is not logged, or a worker cannot
   *   start; StateError after too many failed trials in a row, or when the
   *   project folder holds another search.
   */
  async search(x?: TensorInput | ModelData, y?: TensorInput | ModelData, fitOptions: FitOptions = {}): Promise<readonly Trial[]> {
    if (this.#searching) throw new StateError('This tuner is already searching; await the running search first.');
    if (this.#settings.runTrial === null && (x === undefined || y === undefined)) {
      throw new ConfigError('search(x, y, fitOptions) needs training data x and y (only a custom runTrial can do without).');
    }
    this.#searching = true;
    const shape = (x as {shape?: unknown} | undefined)?.shape;
    this.#inputShape = Array.isArray(shape) ? (shape.slice(1) as number[]) : null;
    try {
      const result = await runSearch({
        settings: this.#settings,
        oracle: this.#oracle,
        objective: this.objective,
        x,
        y,
        fitOptions,
        onProgress: (trials, space, store) => {
          this.#trials = trials;
          this.#space = space;
          this.#store = store;
        },
      });
      this.#trials = result.trials;
      this.#space = result.space;
      this.#store = result.store;
      return this.trials;
    } finally {
      this.#searching = false;
    }
  }

  /**
   * The best `numTrials` trials (Keras Tuner's `oracle.get_best_trials`):
   * completed trials by score, then, if too few, the others in order.
   */
  getBestTrials(numTrials = 1): Trial[] {
    checkNumber('getBestTrials', 'numTrials', numTrials, {min: 1, integer: true});
    const completed = this.#trials
      .filter((t) => t.status === 'COMPLETED')
      .sort((a, b) => (isBetter(this.objective, a.score!, b.score) ? -1 : isBetter(this.objective, b.score!, a.score) ? 1 : 0));
    return [...completed, ...this.#trials.filter((t) => t.status !== 'COMPLETED')].slice(0, numTrials);
  }

  /** The hyperparameters of the best `numTrials` trials (Keras Tuner's `get_best_hyperparameters`), best first. */
  getBestHyperparameters(numTrials = 1): HyperParameters[] {
    return this.getBestTrials(numTrials).map((t) => new HyperParameters({space: this.#space, values: t.hyperparameters}));
  }

  /**
   * The models of the best `numTrials` completed trials (Keras Tuner's
   * `get_best_models`), best first: each built by `buildModel` with the
   * trial's hyperparameters and seed, holding the weights of the trial's
   * best epoch. The caller owns them (`dispose()` each).
   * @throws ConfigError for a tuner with a custom `runTrial` (no models).
   */
  async getBestModels(numTrials = 1): Promise<AnyModel[]> {
    const build = await this.#builder();
    const models: AnyModel[] = [];
    try {
      for (const trial of this.getBestTrials(numTrials).filter((t) => t.status === 'COMPLETED')) {
        const weights = await this.#store?.loadWeights(trial.trialId);
        if (!weights) throw new StateError(`Trial ${trial.trialId} has no saved weights (was the project folder changed?).`);
        setSeed(executionSeed(trial.seed, 0));
        const model = await build(new HyperParameters({space: this.#space, values: trial.hyperparameters}));
        models.push(model);
        if (!model.built && this.#inputShape) model.build(this.#inputShape);
        writeWeights(model, weights);
      }
    } catch (error) {
      for (const m of models) m.dispose();
      throw error;
    }
    return models;
  }

  /**
   * Keras Tuner's `results_summary`: the project folder, the objective and
   * the best `numTrials` trials as a table (hyperparameters, score, status).
   * Prints it (`print` option; default `console.log`) and returns it.
   */
  resultsSummary(numTrials = 10): string {
    checkNumber('resultsSummary', 'numTrials', numTrials, {min: 1, integer: true});
    const text = summaryText({
      location: this.projectDir,
      objective: this.objective,
      trials: this.getBestTrials(numTrials),
      space: this.#space,
    });
    this.#settings.print(text);
    return text;
  }

  /** Keras Tuner's `search_space_summary`: one line per hyperparameter. Prints and returns it. */
  searchSpaceSummary(): string {
    const lines = ['Search space summary', `Default search space size: ${this.#space.length}`, ...this.#space.map(describeHyperParameter)];
    const text = lines.join('\n');
    this.#settings.print(text);
    return text;
  }

  async #builder(): Promise<BuildModel> {
    const {buildModel, hypermodel} = this.#settings;
    if (buildModel) return buildModel;
    if (hypermodel) return (await loadHypermodel(hypermodel)).buildModel;
    throw new ConfigError('getBestModels needs buildModel or hypermodel; a tuner with a custom runTrial makes no models.');
  }
}
