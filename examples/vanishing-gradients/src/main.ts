/**
 * `pnpm vanishing [--backend cpu|wasm] [--samples N]`: prints each layer's
 * gradient norm after one epoch, for each initialization.
 */
import {choice, integer, parseExampleArgs} from '@trellis/example-kit';
import {runExperiment} from './experiment';

const {backend, samples} = parseExampleArgs('pnpm vanishing', {
  backend: choice(['wasm', 'cpu']),
  samples: integer({default: 10000, min: 100}),
});
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
