/**
 * `pnpm tune [--backend cpu|wasm] [--samples N] [--max-epochs N] [--factor N] [--directory DIR]`
 */
import {choice, integer, text, parseExampleArgs} from '@trellis/example-kit';
import {tuneMnist} from './tune-mnist';

const {
  backend,
  samples,
  'max-epochs': maxEpochs,
  factor,
  directory,
} = parseExampleArgs('pnpm tune', {
  backend: choice(['wasm', 'cpu']),
  samples: integer({default: 6000, min: 100}),
  'max-epochs': integer({default: 9, min: 1}),
  factor: integer({default: 3, min: 2}),
  directory: text({placeholder: 'DIR', help: 'keep the trials in DIR/mnist: a search stopped midway resumes where it was'}),
});
console.log(
  `Trellis · Hyperband (maxEpochs ${maxEpochs}, factor ${factor}) · MNIST, ${samples} images (20% validation) · backend ${backend}`,
);
const started = performance.now();
const search = await tuneMnist({
  backend,
  samples,
  maxEpochs,
  factor,
  ...(directory ? {directory} : {}),
  onTrial: (t) =>
    console.log(
      `trial ${t.trialId}: ${t.status === 'COMPLETED' ? `val_accuracy ${t.score!.toFixed(4)}` : t.message} ` +
        `(${t.hyperparameters['tuner/initial_epoch']}→${t.hyperparameters['tuner/epochs']} epochs)`,
    ),
});
console.log('');
search.resultsSummary(10);
const [best] = search.getBestHyperparameters();
console.log(`\nbest: ${JSON.stringify(best!.values)}`);
console.log(`${search.trials.length} trials in ${((performance.now() - started) / 1000).toFixed(1)} s`);
