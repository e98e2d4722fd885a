/**
 * `node dist/main.js [--samples N] [--epochs N]`: trains a tfjs-layers MLP on
 * MNIST with a Trellis optimizer and prints the loss of every epoch.
 */
import {parseArgs} from 'node:util';
import {trainWithTfjsLayers} from './train-with-tfjs-layers';

const {values} = parseArgs({options: {samples: {type: 'string', default: '5000'}, epochs: {type: 'string', default: '3'}}});
const samples = Number(values.samples);
const epochs = Number(values.epochs);
if (!Number.isInteger(samples) || samples < 100 || !Number.isInteger(epochs) || epochs < 1) {
  console.error('Usage: node dist/main.js [--samples N >= 100] [--epochs N >= 1]');
  process.exit(2);
}
console.log(`tfjs-layers fit · MLP 784-64-10 · Trellis adam + exponentialDecay(3e-3, 50 steps, 0.8) · ${samples} MNIST images · cpu`);
const result = await trainWithTfjsLayers({
  samples,
  epochs,
  onEpoch: (epoch, logs, lr) =>
    console.log(
      `epoch ${epoch}/${epochs}  loss ${logs.loss!.toFixed(4)}  acc ${logs.acc!.toFixed(4)}  ` +
        `val_loss ${logs.val_loss!.toFixed(4)}  val_acc ${logs.val_acc!.toFixed(4)}  lr ${lr.toExponential(2)}`,
    ),
});
console.log(`${result.steps} steps on ${result.trainSamples} images, validated on ${result.validationSamples}`);
