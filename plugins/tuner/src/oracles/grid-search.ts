/**
 * Grid search (Keras Tuner's `GridSearchOracle`): every combination of the
 * hyperparameters' values, exactly once.
 * @module
 */
import {conditionsHold, gridValues, type HpValue, type HyperParameter} from '../space/hyperparameter';
import {valuesKey} from '../space/values';
import {stopOrWait, type OracleDefinition} from './oracle';

/**
 * Every point of the product space, in Keras Tuner's order: the last
 * hyperparameter changes fastest and each one starts at its default. A
 * hyperparameter enters a point only where its conditions hold, so a
 * conditional branch multiplies only its own combinations.
 */
export function* gridPoints(space: readonly HyperParameter[]): Generator<Record<string, HpValue>> {
  function* from(i: number, values: Record<string, HpValue>): Generator<Record<string, HpValue>> {
    if (i === space.length) {
      yield {...values};
      return;
    }
    const hp = space[i]!;
    if (!conditionsHold(hp.conditions, values)) {
      yield* from(i + 1, values);
      return;
    }
    for (const value of gridValues(hp)) {
      values[hp.name] = value;
      yield* from(i + 1, values);
      delete values[hp.name];
    }
  }
  yield* from(0, {});
}

/** An oracle that walks the grid, up to `maxTrials` (null: the whole grid). */
export function gridSearchOracle(maxTrials: number | null): OracleDefinition {
  return {
    name: 'gridSearch',
    config: {maxTrials},
    maxTrials,
    create() {
      let walked: {key: string; points: Generator<Record<string, HpValue>>} | null = null;
      return {
        next({space, trials}) {
          const key = JSON.stringify(space);
          // The walk restarts when the space grew (a hyperparameter first declared in a trial); tried points are skipped.
          if (walked?.key !== key) walked = {key, points: gridPoints(space)};
          const tried = new Set(trials.map((t) => valuesKey(t.hyperparameters)));
          for (let p = walked.points.next(); !p.done; p = walked.points.next()) {
            if (!tried.has(valuesKey(p.value))) return {status: 'run', values: p.value};
          }
          walked = null;
          return stopOrWait(trials);
        },
      };
    },
  };
}
