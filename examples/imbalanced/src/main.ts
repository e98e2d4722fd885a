/**
 * `pnpm imbalanced [--backend cpu|wasm] [--epochs N] [--samples N]`
 */
import {choice, integer, parseExampleArgs} from '@trellis/example-kit';
import {runImbalanced} from './imbalanced';

const {backend, epochs, samples} = parseExampleArgs('pnpm imbalanced', {
  backend: choice(['wasm', 'cpu']),
  epochs: integer({default: 3, min: 1}),
  samples: integer({min: 1000}),
});

console.log(`Is it a 3? MNIST with 3s thinned to 5% · MLP 784-64-1 · Adam 1e-3 · ${epochs} epochs · ${backend}\n`);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6);
for (const r of await runImbalanced({backend, epochs, ...(samples !== undefined ? {samples} : {})})) {
  console.log(`${r.variant}: accuracy ${pct(r.accuracy)}  precision ${pct(r.precision)}  recall ${pct(r.recall)}  AUC ${r.auc.toFixed(3)}`);
  console.log(r.table);
  console.log();
}
