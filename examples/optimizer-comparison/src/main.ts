/**
 * `pnpm compare-optimizers [--backend cpu|wasm] [--samples N] [--epochs N]`:
 * SGD, SGD+momentum, RMSprop and Adam training the same MLP on MNIST.
 */
import {choice, integer, parseExampleArgs} from '@trellis/example-kit';
import {compareOptimizers} from './compare-optimizers';
import {formatRanking, formatTable} from './report';

const {backend, samples, epochs} = parseExampleArgs('pnpm compare-optimizers', {
  backend: choice(['wasm', 'cpu']),
  samples: integer({default: 10000, min: 100}),
  epochs: integer({default: 5, min: 1}),
});

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
