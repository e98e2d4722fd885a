/**
 * `pnpm transfer [--backend cpu|wasm] [--samples-b N] [--seed N]`
 */
import {choice, integer, parseExampleArgs} from '@trellis/example-kit';
import {runTransfer} from './transfer';

const {
  backend,
  'samples-b': samplesB,
  seed,
} = parseExampleArgs('pnpm transfer', {
  backend: choice(['wasm', 'cpu']),
  'samples-b': integer({default: 200, min: 10}),
  seed: integer({default: 42}),
});

console.log(
  `Transfer learning on MNIST · A: digits 0-4, MLP 784-300-100-5 · B: digits 5-9 from ${samplesB} images · seed ${seed} · ${backend}\n`,
);
const r = await runTransfer({backend, samplesB, seed});
const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6);
console.log('Model A, test accuracy on 0-4');
console.log(`  after training A                                    ${pct(r.accuracyA)}`);
console.log(
  `  after B trained its head over A's frozen layers     ${pct(r.accuracyAAfterFrozenShared)}  (weights bit for bit unchanged: ${r.weightsAUnchangedWhenFrozen ? 'yes' : 'NO'})`,
);
console.log(
  `  after B fine-tuned a clone of A's layers            ${pct(r.accuracyAAfterFineTuneCloned)}  (cloneModel, as Keras' clone_model + set_weights)`,
);
console.log(
  `  after B fine-tuned A's own layers, unfrozen          ${pct(r.accuracyAAfterFineTuneShared)}  (shared layers: one set of weights for A and B)`,
);
console.log();
console.log(`Model B, test accuracy on 5-9, trained on ${r.samplesB} images`);
console.log(`  from scratch                                        ${pct(r.accuracyBScratch)}`);
console.log(`  transfer: head only, A's layers frozen              ${pct(r.accuracyBHead)}`);
console.log(`  transfer: then fine-tuned at learning rate 3e-4     ${pct(r.accuracyBFineTuned)}`);
