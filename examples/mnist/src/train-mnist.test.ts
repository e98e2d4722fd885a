import {expect, it} from 'vitest';
import {trainMnist} from './train-mnist';

it('learns real digits: >= 85% validation accuracy on a 2,000-image subset', async () => {
  const lines: string[] = [];
  const result = await trainMnist({
    backend: 'wasm',
    samples: 2000,
    test: false,
    onEpoch: (r) => void lines.push(`${r.epoch}: ${JSON.stringify(r.logs)}`),
  });
  console.log(lines.join('\n'));
  expect(result.backend).toBe('wasm');
  expect(result.trainSamples).toBe(1800);
  expect(result.validationSamples).toBe(200);
  const valAccuracy = result.history.history.val_accuracy!;
  expect(valAccuracy).toHaveLength(5);
  expect(valAccuracy[4]!).toBeGreaterThanOrEqual(0.85);
  const loss = result.history.history.loss!;
  expect(loss[4]!).toBeLessThan(loss[0]!);
});
