/**
 * `pnpm mnist [--backend wasm|cpu|node|auto] [--epochs N] [--samples N] [--optimizer adam|adam-decay|adamw|sgd] [--steer]`
 */
import {choice, flag, integer, parseExampleArgs} from '@trellis/example-kit';
import {mnistOptimizerNames} from './mnist-optimizers';
import {trainMnist} from './train-mnist';

const {backend, epochs, samples, optimizer, steer} = parseExampleArgs('pnpm mnist', {
  backend: choice(['wasm', 'cpu', 'node', 'auto']),
  epochs: integer({default: 5, min: 1}),
  samples: integer({min: 10}),
  optimizer: choice(mnistOptimizerNames),
  steer: flag('stop early on val_loss (patience 3, best weights restored) and halve the rate on plateaus'),
});

const pad = (v: number | undefined) => (v === undefined ? '   -   ' : v.toFixed(4));
const rate = (v: number | undefined) => (v === undefined ? '-' : v.toExponential(2));
const started = performance.now();
const result = await trainMnist({
  backend,
  epochs,
  optimizer,
  steer,
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
