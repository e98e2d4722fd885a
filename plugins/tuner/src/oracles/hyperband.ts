/**
 * Hyperband (Keras Tuner's `HyperbandOracle`): brackets of successive
 * halving. Each bracket starts random trials with few epochs; each round
 * continues the best `1/factor` of the last one with `factor` times the
 * epochs, from their weights, until `maxEpochs`.
 * @module
 */
import {ConfigError, checkOptions} from '@trellis/core';
import type {Objective} from '../objective';
import type {HpValue} from '../space/hyperparameter';
import type {Trial} from '../trial';
import {stopOrWait, type OracleContext, type OracleDecision, type OracleDefinition} from './oracle';
import {RandomPoints} from './random-points';

/** Hyperband's settings (Keras Tuner's names, camelCase). */
export interface HyperbandSettings {
  /** The most epochs one model trains (default 100). */
  readonly maxEpochs: number;
  /** The reduction factor of trials and the growth factor of epochs between rounds (an integer >= 2; default 3). */
  readonly factor: number;
  /** Full passes over the brackets (default 1). */
  readonly hyperbandIterations: number;
}

/** One round of a bracket: how many trials train, from which epoch, up to which. */
export interface HyperbandRound {
  /** The bracket (counting down: the first bracket has the most rounds). */
  readonly bracket: number;
  readonly round: number;
  /** Trials in the round (round 0: new random trials; later: the best of the round before, continued). */
  readonly trials: number;
  /** The epoch the trials train up to (Keras' `epochs`, exclusive). */
  readonly epochs: number;
  /** The epoch they start from (Keras' `initial_epoch`; 0 in round 0). */
  readonly initialEpoch: number;
}

/**
 * `log(maxEpochs) / log(factor)` as Python's `math.log(maxEpochs, factor)`
 * computes it: exact for a power of `factor` (V8's `Math.log` can be one
 * ulp above there, which would change a bracket's size).
 */
function logBase(value: number, base: number): number {
  let power = 1;
  let k = 0;
  while (power < value) {
    power *= base;
    k++;
  }
  return power === value ? k : Math.log(value) / Math.log(base);
}

/** The number of brackets of one iteration (Keras Tuner's `_get_num_brackets`). */
export function bracketCount(maxEpochs: number, factor: number): number {
  let epochs = maxEpochs;
  let brackets = 0;
  while (epochs >= 1) {
    epochs /= factor;
    brackets++;
  }
  return brackets;
}

/** Trials in `round` of `bracket` (Keras Tuner's `_get_size`). */
export function roundSize(settings: HyperbandSettings, bracket: number, round: number): number {
  const bracket0EndSize = Math.ceil(1 + logBase(settings.maxEpochs, settings.factor));
  const bracketEndSize = bracket0EndSize / (bracket + 1);
  return Math.ceil(bracketEndSize * settings.factor ** (bracket - round));
}

/** The epoch `round` of `bracket` trains up to (Keras Tuner's `_get_epochs`). */
export function roundEpochs(settings: HyperbandSettings, bracket: number, round: number): number {
  return Math.ceil(settings.maxEpochs / settings.factor ** (bracket - round));
}

/**
 * The rounds Hyperband runs, in order, when no trial fails: for each
 * iteration, brackets from the most aggressive (most rounds) down to plain
 * random search (bracket 0). Use it to budget a search:
 * `sum(trials × (epochs − initialEpoch))` is the total number of epochs.
 *
 * @example
 * hyperbandSchedule({maxEpochs: 9, factor: 3});
 * // bracket 2: 9 trials × 1 epoch, 3 × 1→3, 1 × 3→9; bracket 1: 5 × 3, 1 × 3→9; bracket 0: 3 × 9
 */
export function hyperbandSchedule(options: {
  readonly maxEpochs?: number;
  readonly factor?: number;
  readonly hyperbandIterations?: number;
}): HyperbandRound[] {
  checkOptions('hyperbandSchedule', options, ['maxEpochs', 'factor', 'hyperbandIterations']);
  const settings = checkHyperband('hyperbandSchedule', options);
  const rounds: HyperbandRound[] = [];
  const brackets = bracketCount(settings.maxEpochs, settings.factor);
  for (let iteration = 0; iteration < settings.hyperbandIterations; iteration++) {
    for (let bracket = brackets - 1; bracket >= 0; bracket--) {
      for (let round = 0; round <= bracket; round++) {
        rounds.push({
          bracket,
          round,
          trials: roundSize(settings, bracket, round),
          epochs: roundEpochs(settings, bracket, round),
          initialEpoch: round === 0 ? 0 : roundEpochs(settings, bracket, round - 1),
        });
      }
    }
  }
  return rounds;
}

/** Hyperband's settings with defaults, checked. @throws ConfigError for a bad value. */
export function checkHyperband(
  who: string,
  options: {readonly maxEpochs?: number; readonly factor?: number; readonly hyperbandIterations?: number},
): HyperbandSettings {
  const integer = (key: string, value: unknown, min: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new ConfigError(`${who}: ${key} must be an integer >= ${min}; got ${String(value)}.`);
    }
    return value;
  };
  return {
    maxEpochs: integer('maxEpochs', options.maxEpochs ?? 100, 1),
    factor: integer('factor', options.factor ?? 3, 2),
    hyperbandIterations: integer('hyperbandIterations', options.hyperbandIterations ?? 1, 1),
  };
}

interface RoundEntry {
  readonly index: number;
  readonly pastIndex: number | null;
}
interface Bracket {
  readonly num: number;
  readonly rounds: RoundEntry[][];
}

/** The oracle (Keras Tuner's `populate_space`, with `'wait'` where a round's selection needs a result still out). */
export function hyperbandOracle(settings: HyperbandSettings): OracleDefinition {
  return {
    name: 'hyperband',
    config: {...settings},
    maxTrials: null,
    create(seed) {
      const points = new RandomPoints(seed);
      const brackets = bracketCount(settings.maxEpochs, settings.factor);
      let iteration = 0;
      let current = brackets - 1;
      let open: Bracket[] = [];
      const startBracket = () => open.push({num: current, rounds: Array.from({length: current + 1}, () => [])});
      startBracket();

      const randomTrial = (context: OracleContext, bracket: Bracket): Record<string, HpValue> | null => {
        const values = points.draw(context.space, context.trials);
        if (values === null) return null;
        bracket.rounds[0]!.push({index: context.index, pastIndex: null});
        return {
          ...values,
          'tuner/epochs': roundEpochs(settings, bracket.num, 0),
          'tuner/initial_epoch': 0,
          'tuner/bracket': current,
          'tuner/round': 0,
        };
      };

      return {
        next(context): OracleDecision {
          open = open.filter((b) => {
            const last = b.rounds.length - 1;
            return b.rounds[last]!.length !== roundSize(settings, b.num, last);
          });
          for (const bracket of open) {
            if (bracket.rounds[0]!.length < roundSize(settings, bracket.num, 0)) {
              const values = randomTrial(context, bracket);
              return values ? {status: 'run', values} : stopOrWait(context.trials);
            }
            for (let round = 1; round < bracket.rounds.length; round++) {
              const past = bracket.rounds[round - 1]!;
              if (past.some((e) => context.trials[e.index]!.status === 'RUNNING')) return {status: 'wait'};
              const entries = bracket.rounds[round]!;
              const selected = new Set(entries.map((e) => e.pastIndex));
              const candidates = past
                .filter((e) => !selected.has(e.index))
                .map((e) => context.trials[e.index]!)
                .filter((t) => t.status === 'COMPLETED');
              const size = roundSize(settings, bracket.num, round);
              if (candidates.length > roundSize(settings, bracket.num, round - 1) - size) {
                const best = bestOf(candidates, context.objective);
                entries.push({index: context.index, pastIndex: Number(best.trialId)});
                return {
                  status: 'run',
                  values: {
                    ...best.hyperparameters,
                    'tuner/trial_id': best.trialId,
                    'tuner/epochs': roundEpochs(settings, bracket.num, round),
                    'tuner/initial_epoch': roundEpochs(settings, bracket.num, round - 1),
                    'tuner/bracket': current,
                    'tuner/round': round,
                  },
                };
              }
            }
          }
          if (current === 0 && iteration + 1 === settings.hyperbandIterations) return stopOrWait(context.trials);
          const saved = {iteration, current, open: [...open]};
          current--;
          if (current < 0) {
            current = brackets - 1;
            iteration++;
          }
          startBracket();
          const values = randomTrial(context, open[open.length - 1]!);
          if (values) return {status: 'run', values};
          ({iteration, current, open} = saved);
          return stopOrWait(context.trials);
        },
      };
    },
  };
}

/** The best of `trials` by score; ties go to the earlier trial (Python's stable sort). */
function bestOf(trials: readonly Trial[], objective: Objective): Trial {
  let best = trials[0]!;
  for (const t of trials.slice(1)) {
    if (objective.direction === 'max' ? t.score! > best.score! : t.score! < best.score!) best = t;
  }
  return best;
}
