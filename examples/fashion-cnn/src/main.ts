/**
 * `pnpm fashion [--backend cpu|wasm] [--epochs N] [--samples N]`
 */
import {parseArgs} from 'node:util';
import {trainFashionCnn} from './train-fashion-cnn';

const {values} = parseArgs({
  options: {
    backend: {type: 'string', default: 'wasm'},
    epochs: {type: 'string', default: '5'},
    samples: {type: 'string'},
    help: {type: 'boolean', short: 'h', default: false},
  },
});

if (values.help) {
  console.log('Usage: pnpm fashion [--backend cpu|wasm] [--epochs N] [--samples N]');
  process.exit(0);
}
const backend = values.backend;
if (backend !== 'wasm' && backend !== 'cpu') {
  console.error(`--backend must be cpu or wasm; got '${backend}'.`);
  process.exit(2);
}
const epochs = Number(values.epochs);
const samples = values.samples === undefined ? undefined : Number(values.samples);
if (!Number.isInteger(epochs) || epochs < 1 || (samples !== undefined && (!Number.isInteger(samples) || samples < 10))) {
  console.error('--epochs must be a positive integer and --samples an integer of at least 10.');
  process.exit(2);
}

const pad = (v: number | undefined) => (v === undefined ? '   -   ' : v.toFixed(4));
console.log(
  `Trellis · Fashion-MNIST · CNN (flip, translate, 2 × conv-BN-relu-pool, dropout, dense) · Adam 1e-3 · batch 64 · backend ${backend}`,
);
const started = performance.now();
const result = await trainFashionCnn({
  backend,
  epochs,
  ...(samples !== undefined ? {samples} : {}),
  onEpoch: ({epoch, epochs: total, logs, seconds, msPerStep}) => {
    console.log(
      `epoch ${epoch + 1}/${total}  loss ${pad(logs.loss)}  accuracy ${pad(logs.accuracy)}  ` +
        `val_loss ${pad(logs.val_loss)}  val_accuracy ${pad(logs.val_accuracy)}  ` +
        `${seconds.toFixed(1)} s (${msPerStep.toFixed(1)} ms/step)`,
    );
  },
});
console.log(`${result.parameters} parameters; trained on ${result.trainSamples} images, validated on ${result.validationSamples}`);
if (result.testAccuracy !== null) {
  console.log(`test accuracy ${(result.testAccuracy * 100).toFixed(2)}% on 10000 images (test loss ${result.testLoss!.toFixed(4)})`);
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
