/**
 * `pnpm tensorboard-example [--logdir DIR] [--backend cpu|wasm] [--samples N] [--epochs N]`:
 * trains two MNIST runs (Adam, SGD with momentum) into one TensorBoard log
 * directory, then says how to open it.
 */
import {choice, integer, text, parseExampleArgs} from '@trellis/example-kit';
import {runTensorBoardExample} from './experiment';

const {logdir, backend, samples, epochs} = parseExampleArgs('pnpm tensorboard-example', {
  logdir: text({placeholder: 'DIR', default: 'runs/tensorboard-example'}),
  backend: choice(['wasm', 'cpu']),
  samples: integer({default: 10000, min: 100}),
  epochs: integer({default: 5, min: 1}),
});
console.log(`Training an MLP 784-128-64-10 on ${samples} MNIST images, ${epochs} epochs per run (${backend}), logging to ${logdir}/`);
const results = await runTensorBoardExample({logDir: logdir, backend, samples, epochs});
for (const r of results) {
  const last = (key: string) => r.history[key]?.at(-1);
  console.log(
    `${r.name.padEnd(14)} loss ${last('loss')?.toFixed(4)}  val_loss ${last('val_loss')?.toFixed(4)}  val_accuracy ${((last('val_accuracy') ?? 0) * 100).toFixed(1)}%  → ${r.logDir}`,
  );
}
console.log(`\nOpen it:  tensorboard --logdir ${logdir}   (then http://localhost:6006; pip install tensorboard)`);
