/**
 * `pnpm fashion [--backend cpu|wasm] [--epochs N] [--samples N]`
 */
import {choice, integer, parseExampleArgs} from '@trellis/example-kit';
import {trainFashionCnn} from './train-fashion-cnn';

const {backend, epochs, samples} = parseExampleArgs('pnpm fashion', {
  backend: choice(['wasm', 'cpu']),
  epochs: integer({default: 5, min: 1}),
  samples: integer({min: 10}),
});

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
