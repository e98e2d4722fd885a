/**
 * `pnpm tensorboard-example [--logdir DIR] [--backend cpu|wasm] [--samples N] [--epochs N]`:
 * trains two MNIST runs (Adam, SGD with momentum) into one TensorBoard log
 * directory, then says how to open it.
 */
import {parseArgs} from 'node:util';
import {runTensorBoardExample} from './experiment';

const {values} = parseArgs({
  options: {
    logdir: {type: 'string', default: 'runs/tensorboard-example'},
    backend: {type: 'string', default: 'wasm'},
    samples: {type: 'string', default: '10000'},
    epochs: {type: 'string', default: '5'},
  },
});
const {backend, logdir} = values;
const samples = Number(values.samples);
const epochs = Number(values.epochs);
if ((backend !== 'wasm' && backend !== 'cpu') || !Number.isInteger(samples) || samples < 100 || !Number.isInteger(epochs) || epochs < 1) {
  console.error('Usage: pnpm tensorboard-example [--logdir DIR] [--backend cpu|wasm] [--samples N >= 100] [--epochs N >= 1]');
  process.exit(2);
}
console.log(`Training an MLP 784-128-64-10 on ${samples} MNIST images, ${epochs} epochs per run (${backend}), logging to ${logdir}/`);
const results = await runTensorBoardExample({logDir: logdir, backend, samples, epochs});
for (const r of results) {
  const last = (key: string) => r.history[key]?.at(-1);
  console.log(
    `${r.name.padEnd(14)} loss ${last('loss')?.toFixed(4)}  val_loss ${last('val_loss')?.toFixed(4)}  val_accuracy ${((last('val_accuracy') ?? 0) * 100).toFixed(1)}%  → ${r.logDir}`,
  );
}
console.log(`\nOpen it:  tensorboard --logdir ${logdir}   (then http://localhost:6006; pip install tensorboard)`);
