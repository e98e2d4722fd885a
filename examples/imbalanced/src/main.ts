/**
 * `pnpm imbalanced [--backend cpu|wasm] [--epochs N] [--samples N]`
 */
import {parseArgs} from 'node:util';
import {runImbalanced} from './imbalanced';

const {values} = parseArgs({
  options: {
    backend: {type: 'string', default: 'wasm'},
    epochs: {type: 'string', default: '3'},
    samples: {type: 'string'},
    help: {type: 'boolean', short: 'h', default: false},
  },
});
if (values.help) {
  console.log('Usage: pnpm imbalanced [--backend cpu|wasm] [--epochs N] [--samples N]');
  process.exit(0);
}
const backend = values.backend;
if (backend !== 'wasm' && backend !== 'cpu') {
  console.error(`--backend must be cpu or wasm; got '${backend}'.`);
  process.exit(2);
}
const epochs = Number(values.epochs);
const samples = values.samples === undefined ? undefined : Number(values.samples);
if (!Number.isInteger(epochs) || epochs < 1 || (samples !== undefined && (!Number.isInteger(samples) || samples < 1000))) {
  console.error('--epochs must be a positive integer and --samples an integer of at least 1000.');
  process.exit(2);
}

console.log(`Is it a 3? MNIST with 3s thinned to 5% · MLP 784-64-1 · Adam 1e-3 · ${epochs} epochs · ${backend}\n`);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6);
for (const r of await runImbalanced({backend, epochs, ...(samples !== undefined ? {samples} : {})})) {
  console.log(`${r.variant}: accuracy ${pct(r.accuracy)}  precision ${pct(r.precision)}  recall ${pct(r.recall)}  AUC ${r.auc.toFixed(3)}`);
  console.log(r.table);
  console.log();
}
