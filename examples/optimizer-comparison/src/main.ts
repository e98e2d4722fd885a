/**
 * `pnpm compare-optimizers [--backend cpu|wasm] [--samples N] [--epochs N]`:
 * SGD, SGD+momentum, RMSprop and Adam training the same MLP on MNIST.
 */
import {parseArgs} from 'node:util';
import {compareOptimizers} from './compare-optimizers';
import {formatRanking, formatTable} from './report';

const usage = 'Usage: pnpm compare-optimizers [--backend cpu|wasm] [--samples N >= 100] [--epochs N >= 1]';
const {values} = parseArgs({
  options: {
    backend: {type: 'string', default: 'wasm'},
    samples: {type: 'string', default: '10000'},
    epochs: {type: 'string', default: '5'},
    help: {type: 'boolean', short: 'h', default: false},
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const backend = values.backend;
const samples = Number(values.samples);
const epochs = Number(values.epochs);
if ((backend !== 'wasm' && backend !== 'cpu') || !Number.isInteger(samples) || samples < 100 || !Number.isInteger(epochs) || epochs < 1) {
  console.error(usage);
  process.exit(2);
}

const started = performance.now();
const comparison = await compareOptimizers({
  backend,
  samples,
  epochs,
  onResult: (r) => console.error(`  ${r.name}: ${r.seconds.toFixed(1)} s`),
});
console.log(
  `Optimizers on MNIST · MLP 784-500-50-10 (relu) · ${comparison.trainSamples} training + ${comparison.validationSamples} ` +
    `validation images · batch ${comparison.batchSize} · same initial weights · backend ${comparison.backend}`,
);
console.log('training loss (validation accuracy) after each epoch; epoch 0 = the initial weights');
for (const line of formatTable(comparison.results)) console.log(line);
console.log(formatRanking(comparison.results));
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
