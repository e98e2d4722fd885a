/**
 * `pnpm tune [--backend cpu|wasm] [--samples N] [--max-epochs N] [--factor N] [--directory DIR]`
 */
import {parseArgs} from 'node:util';
import {tuneMnist} from './tune-mnist';

const {values} = parseArgs({
  options: {
    backend: {type: 'string', default: 'wasm'},
    samples: {type: 'string', default: '6000'},
    'max-epochs': {type: 'string', default: '9'},
    factor: {type: 'string', default: '3'},
    directory: {type: 'string'},
    help: {type: 'boolean', short: 'h', default: false},
  },
});
if (values.help) {
  console.log('Usage: pnpm tune [--backend cpu|wasm] [--samples N] [--max-epochs N] [--factor N] [--directory DIR]');
  console.log('  --directory  keep the trials in DIR/mnist: a search stopped midway resumes where it was');
  process.exit(0);
}
const backend = values.backend;
const [samples, maxEpochs, factor] = [values.samples, values['max-epochs'], values.factor].map(Number) as [number, number, number];
if ((backend !== 'wasm' && backend !== 'cpu') || !(samples >= 100) || !Number.isInteger(maxEpochs) || !Number.isInteger(factor)) {
  console.error('--backend must be cpu or wasm, --samples at least 100, --max-epochs and --factor integers.');
  process.exit(2);
}
console.log(
  `Trellis · Hyperband (maxEpochs ${maxEpochs}, factor ${factor}) · MNIST, ${samples} images (20% validation) · backend ${backend}`,
);
const started = performance.now();
const search = await tuneMnist({
  backend,
  samples,
  maxEpochs,
  factor,
  ...(values.directory ? {directory: values.directory} : {}),
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
