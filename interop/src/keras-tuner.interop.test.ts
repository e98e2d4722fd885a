// Hyperband's bracket schedule against Keras Tuner's own HyperbandOracle: for each maxEpochs,
// factor and iteration count, both oracles run sequentially on one float hyperparameter and must
// create the same trials in the same order (bracket, round, initial epoch, epochs, and whether the
// trial continues an earlier one). Cases include powers of the factor (27 and 81 for 3), where a
// logarithm one ulp off would change a bracket's size.
import {hyperband} from '@trellis/tuner';
import {beforeAll, describe, expect, it} from 'vitest';
import {runPythonCheck} from './harness/python-check';

const cases = [
  {maxEpochs: 9, factor: 3, hyperbandIterations: 1},
  {maxEpochs: 27, factor: 3, hyperbandIterations: 1},
  {maxEpochs: 81, factor: 3, hyperbandIterations: 1},
  {maxEpochs: 100, factor: 3, hyperbandIterations: 1},
  {maxEpochs: 10, factor: 2, hyperbandIterations: 2},
  {maxEpochs: 30, factor: 4, hyperbandIterations: 1},
  {maxEpochs: 2, factor: 2, hyperbandIterations: 3},
  {maxEpochs: 1, factor: 3, hyperbandIterations: 2},
];

let keras: number[][][];
beforeAll(async () => {
  const report = (await runPythonCheck('keras_tuner_hyperband', 'schedules', {cases})) as {schedules: number[][][]};
  keras = report.schedules;
}, 300_000);

describe("Hyperband's schedule equals keras_tuner's HyperbandOracle", () => {
  it.each(cases.map((c, i) => [`maxEpochs ${c.maxEpochs}, factor ${c.factor}, ${c.hyperbandIterations} iteration(s)`, i] as const))(
    '%s',
    async (_, i) => {
      const tuner = hyperband({
        hyperparameters: (hp) => hp.float('x', {min: 0, max: 1}),
        runTrial: (hp) => Math.abs((hp.get('x') as number) - 0.3),
        objective: {name: 'score', direction: 'min'},
        seed: 1,
        ...cases[i]!,
      });
      const trials = await tuner.search();
      const ours = trials.map((t) => [
        ...['tuner/bracket', 'tuner/round', 'tuner/initial_epoch', 'tuner/epochs'].map((k) => t.hyperparameters[k]),
        typeof t.hyperparameters['tuner/trial_id'] === 'string' ? 1 : 0,
      ]);
      console.log(`${cases[i]!.maxEpochs}/${cases[i]!.factor}: ${ours.length} trials (Keras Tuner ${keras[i]!.length})`);
      expect(ours).toEqual(keras[i]);
    },
  );
});
