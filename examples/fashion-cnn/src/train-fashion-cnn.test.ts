import {expect, it} from 'vitest';
import {trainFashionCnn} from './train-fashion-cnn';

it('learns Fashion-MNIST from 1,000 images: validation accuracy well above chance, loss falling', async () => {
  const lines: string[] = [];
  const result = await trainFashionCnn({
    backend: 'wasm',
    samples: 1000,
    epochs: 4,
    onEpoch: (r) => void lines.push(`${r.epoch}: ${JSON.stringify(r.logs)} ${r.msPerStep.toFixed(1)} ms/step`),
  });
  console.log(lines.join('\n'), `\ntest accuracy ${result.testAccuracy}`);
  expect(result.backend).toBe('wasm');
  expect([result.trainSamples, result.validationSamples]).toEqual([900, 100]);
  const loss = result.history.history.loss!;
  expect(loss.at(-1)!).toBeLessThan(loss[0]!);
  expect(result.history.history.val_accuracy!.at(-1)!).toBeGreaterThanOrEqual(0.55);
  expect(result.testAccuracy!).toBeGreaterThanOrEqual(0.6);
});
