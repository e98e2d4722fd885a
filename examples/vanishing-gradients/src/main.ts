/**
 * `pnpm vanishing [--backend cpu|wasm] [--samples N]`: prints each layer's
 * gradient norm after one epoch, for each initialization.
 */
import {parseArgs} from 'node:util';
import {runExperiment} from './experiment';

const {values} = parseArgs({
  options: {backend: {type: 'string', default: 'wasm'}, samples: {type: 'string', default: '10000'}},
});
const backend = values.backend;
const samples = Number(values.samples);
if ((backend !== 'wasm' && backend !== 'cpu') || !Number.isInteger(samples) || samples < 100) {
  console.error('Usage: pnpm vanishing [--backend cpu|wasm] [--samples N >= 100]');
  process.exit(2);
}
console.log(`Gradient L2 norm per layer after one epoch (MLP 784-128×5-10, SGD 0.1, ${samples} MNIST images, ${backend})`);
const results = await runExperiment({backend, samples});
const header = [
  'setup'.padEnd(28),
  ...results[0]!.norms.map((_, i) => `layer ${i + 1}`.padStart(10)),
  'first/last'.padStart(12),
  'val acc'.padStart(9),
];
console.log(header.join(''));
for (const r of results) {
  console.log(
    [
      r.name.padEnd(28),
      ...r.norms.map((v) => v.toExponential(2).padStart(10)),
      (r.norms[0]! / r.norms.at(-1)!).toExponential(1).padStart(12),
      `${(r.valAccuracy * 100).toFixed(1)}%`.padStart(9),
    ].join(''),
  );
}
