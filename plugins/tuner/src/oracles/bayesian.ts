/**
 * Bayesian optimization (Keras Tuner's `BayesianOptimizationOracle`): random
 * trials first, then each trial where a Gaussian process fitted to the
 * scores so far is most promising (upper confidence bound, or expected improvement).
 * @module
 */
import {createRng, type Rng} from '@trellis/core';
import {valueToProb, type HyperParameter} from '../space/hyperparameter';
import {valuesAt, valuesKey} from '../space/values';
import type {Trial} from '../trial';
import {fitGaussianProcess, type GaussianProcess} from './gaussian-process';
import {stopOrWait, type OracleDecision, type OracleDefinition} from './oracle';
import {RandomPoints} from './random-points';

/** The acquisition function: Keras Tuner's confidence bound (`'ucb'`), or expected improvement (`'ei'`). */
export type Acquisition = 'ucb' | 'ei';

/** The Bayesian oracle's settings. */
export interface BayesianSettings {
  readonly maxTrials: number;
  /** Random trials before the first model-guided one (null: 3 × the number of hyperparameters, at least 3). */
  readonly numInitialPoints: number | null;
  /** Noise variance added to the kernel's diagonal (default 1e-4). */
  readonly alpha: number;
  /** The confidence bound's weight of the standard deviation (default 2.6). */
  readonly beta: number;
  readonly acquisition: Acquisition;
}

/** Points drawn at random to start the acquisition's optimization, and how many of the best are refined. */
const CANDIDATES = 1000;
const REFINED = 5;

/** The unit-cube coordinates of a trial over the non-fixed hyperparameters (the default for inactive or later ones). */
function coordinates(space: readonly HyperParameter[], trial: Trial): number[] {
  return space.map((hp) => valueToProb(hp, hp.name in trial.hyperparameters ? trial.hyperparameters[hp.name]! : hp.default));
}

/** Standard normal density and distribution. */
const pdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
function cdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7: plenty for ranking candidates.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * The acquisition to minimize at `point`: `mean − beta · std` (the lower
 * confidence bound of a minimized score), or minus the expected improvement
 * over `best` with a margin of 0.01 standard deviations of the targets.
 */
function acquisitionAt(gp: GaussianProcess, settings: BayesianSettings, best: number, margin: number, point: readonly number[]): number {
  const {mean, std} = gp.predict(point);
  if (settings.acquisition === 'ucb') return mean - settings.beta * std;
  if (std === 0) return 0;
  const gain = best - mean - margin;
  const z = gain / std;
  return -(gain * cdf(z) + std * pdf(z));
}

/** Pattern search in the unit cube from `start`: steps of 0.1 halved down to 1e-4 along each axis. */
function refine(f: (p: readonly number[]) => number, start: readonly number[]): {point: number[]; value: number} {
  let point = [...start];
  let value = f(point);
  for (let step = 0.1; step >= 1e-4; step /= 2) {
    let improved = true;
    while (improved) {
      improved = false;
      for (let d = 0; d < point.length; d++) {
        for (const sign of [1, -1]) {
          const trial = [...point];
          trial[d] = Math.min(1, Math.max(0, trial[d]! + sign * step));
          const v = f(trial);
          if (v < value) [point, value, improved] = [trial, v, true];
        }
      }
    }
  }
  return {point, value};
}

/** The next point the Gaussian process proposes, as unit-cube coordinates of `space`. */
function propose(
  space: readonly HyperParameter[],
  trials: readonly Trial[],
  settings: BayesianSettings,
  direction: 'min' | 'max',
  rng: Rng,
): number[] {
  const done = trials.filter((t) => t.status === 'COMPLETED');
  const x = done.map((t) => coordinates(space, t));
  const y = done.map((t) => (direction === 'max' ? -t.score! : t.score!));
  const gp = fitGaussianProcess(x, y, {alpha: settings.alpha});
  const best = Math.min(...y);
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const margin = 0.01 * Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length);
  const f = (p: readonly number[]) => acquisitionAt(gp, settings, best, margin, p);
  const starts = Array.from({length: CANDIDATES}, () => space.map(() => rng.next()))
    .map((point) => ({point, value: f(point)}))
    .sort((a, b) => a.value - b.value)
    .slice(0, REFINED);
  let winner = refine(f, starts[0]!.point);
  for (const start of starts.slice(1)) {
    const r = refine(f, start.point);
    if (r.value < winner.value) winner = r;
  }
  return winner.point;
}

/** The oracle. Trial `k` is random while fewer than `numInitialPoints` trials completed before it; it waits for every earlier trial otherwise. */
export function bayesianOracle(settings: BayesianSettings): OracleDefinition {
  return {
    name: 'bayesianOptimization',
    config: {...settings},
    maxTrials: settings.maxTrials,
    create(seed) {
      const points = new RandomPoints(seed);
      const candidates = createRng((seed ^ 0x5bd1e995) >>> 0);
      const random = (space: readonly HyperParameter[], trials: readonly Trial[]): OracleDecision => {
        const values = points.draw(space, trials);
        return values ? {status: 'run', values} : stopOrWait(trials);
      };
      return {
        next({index, space, trials, objective}) {
          const initial = settings.numInitialPoints ?? Math.max(3 * space.length, 3);
          if (index < initial) return random(space, trials);
          if (trials.some((t) => t.status === 'RUNNING')) return {status: 'wait'};
          const tunable = space.filter((hp) => hp.kind !== 'fixed');
          if (trials.filter((t) => t.status === 'COMPLETED').length < initial || tunable.length === 0) return random(space, trials);
          const point = propose(tunable, trials, settings, objective.direction, candidates);
          let at = 0;
          const values = valuesAt(
            space,
            space.map((hp) => (hp.kind === 'fixed' ? 0.5 : point[at++]!)),
          );
          // A point already tried would teach nothing new (a discrete space): draw a random one instead.
          if (trials.some((t) => valuesKey(t.hyperparameters) === valuesKey(values))) return random(space, trials);
          return {status: 'run', values};
        },
      };
    },
  };
}
