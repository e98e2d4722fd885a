/**
 * `pnpm mnist [--backend wasm|cpu|node|auto] [--epochs N] [--samples N] [--optimizer adam|adam-decay|adamw|sgd] [--steer]`
 */
import {parseArgs} from 'node:util';
import {mnistOptimizerNames, type MnistOptimizerName} from './mnist-optimizers';
import {trainMnist, type MnistBackend} from './train-mnist';

const BACKENDS: readonly MnistBackend[] = ['wasm', 'cpu', 'node', 'auto'];

const {values} = parseArgs({
  options: {
    backend: {type: 'string', default: 'wasm'},
    epochs: {type: 'string', default: '5'},
    samples: {type: 'string'},
    optimizer: {type: 'string', default: 'adam'},
    steer: {type: 'boolean', default: false},
    help: {type: 'boolean', short: 'h', default: false},
  },
});

if (values.help) {
  console.log(
    `Usage: pnpm mnist [--backend ${BACKENDS.join('|')}] [--epochs N] [--samples N] [--optimizer ${mnistOptimizerNames.join('|')}] [--steer]`,
  );
  console.log('  --steer  stop early on val_loss (patience 3, best weights restored) and halve the rate on plateaus');
  process.exit(0);
}
const backend = values.backend as MnistBackend;
if (!BACKENDS.includes(backend)) {
  console.error(`--backend must be one of ${BACKENDS.join(', ')}; got '${values.backend}'.`);
  process.exit(2);
}
const optimizer = values.optimizer as MnistOptimizerName;
if (!mnistOptimizerNames.includes(optimizer)) {
  console.error(`--optimizer must be one of ${mnistOptimizerNames.join(', ')}; got '${values.optimizer}'.`);
  process.exit(2);
}
const epochs = Number(values.epochs);
const samples = values.samples === undefined ? undefined : Number(values.samples);
if (!Number.isInteger(epochs) || epochs < 1 || (samples !== undefined && (!Number.isInteger(samples) || samples < 10))) {
  console.error('--epochs must be a positive integer and --samples an integer of at least 10.');
  process.exit(2);
}

const pad = (v: number | undefined) => (v === undefined ? '   -   ' : v.toFixed(4));
const rate = (v: number | undefined) => (v === undefined ? '-' : v.toExponential(2));
const started = performance.now();
const result = await trainMnist({
  backend,
  epochs,
  optimizer,
  steer: values.steer,
  ...(samples !== undefined ? {samples} : {}),
  onStart: ({optimizer: label, backend: active, choice}) => {
    if (choice) console.log(choice.text);
    const shown = active === backend ? backend : `${backend} (${active})`;
    console.log(`Trellis · MNIST · MLP 784-512-128-10 (relu) · ${label} · batch 128 · backend ${shown}`);
  },
  onEpoch: ({epoch, epochs: total, logs, seconds, msPerStep, learningRate}) => {
    console.log(
      `epoch ${epoch + 1}/${total}  loss ${pad(logs.loss)}  accuracy ${pad(logs.accuracy)}  ` +
        `val_loss ${pad(logs.val_loss)}  val_accuracy ${pad(logs.val_accuracy)}  lr ${rate(learningRate)}  ` +
        `${seconds.toFixed(1)} s (${msPerStep.toFixed(1)} ms/step)`,
    );
  },
});
console.log(`trained on ${result.trainSamples} images, validated on ${result.validationSamples}`);
if (result.history.stopReason !== null) console.log(`stopped early: ${result.history.stopReason}`);
if (result.testAccuracy !== null) {
  console.log(`test accuracy ${(result.testAccuracy * 100).toFixed(2)}% on 10000 images (test loss ${result.testLoss!.toFixed(4)})`);
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
