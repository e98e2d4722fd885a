/**
 * Random search (Keras Tuner's `RandomSearchOracle`).
 * @module
 */
import {stopOrWait, type OracleDefinition} from './oracle';
import {RandomPoints} from './random-points';

/** An oracle that draws each trial's values at random, never repeating a point, up to `maxTrials`. */
export function randomSearchOracle(maxTrials: number): OracleDefinition {
  return {
    name: 'randomSearch',
    config: {maxTrials},
    maxTrials,
    create(seed) {
      const points = new RandomPoints(seed);
      return {
        next({space, trials}) {
          const values = points.draw(space, trials);
          return values ? {status: 'run', values} : stopOrWait(trials);
        },
      };
    },
  };
}
