import {expect, it} from 'vitest';
import {ConfigError} from 'trellis';
import {trainMnist, type StartReport} from './train-mnist';

it('learns real digits: >= 85% validation accuracy on a 2,000-image subset', async () => {
  const lines: string[] = [];
  const rates: (number | undefined)[] = [];
  const result = await trainMnist({
    backend: 'wasm',
    samples: 2000,
    test: false,
    onEpoch: (r) => {
      lines.push(`${r.epoch}: ${JSON.stringify(r.logs)}`);
      rates.push(r.learningRate);
    },
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
  expect(result.optimizer).toBe('Adam 1e-3');
  expect(rates).toEqual([1e-3, 1e-3, 1e-3, 1e-3, 1e-3]);
});

it('adam-decay: halves the learning rate over one epoch and still learns (4,500 images, 1 epoch)', async () => {
  const rates: (number | undefined)[] = [];
  let started: StartReport | undefined;
  const result = await trainMnist({
    backend: 'wasm',
    samples: 5000,
    epochs: 1,
    test: false,
    optimizer: 'adam-decay',
    onStart: (r) => void (started = r),
    onEpoch: (r) => void rates.push(r.learningRate),
  });
  console.log(`adam-decay: ${JSON.stringify(result.history.history)} lr ${rates.join(', ')}`);
  // 4,500 training images / batch 128 = 36 steps, the decay period: after it the rate is 1e-3 · 0.5.
  expect(started).toEqual({
    backend: 'wasm',
    choice: null,
    optimizer: 'Adam, exponentialDecay 1e-3 × 0.5 per epoch (36 steps)',
    stepsPerEpoch: 36,
  });
  expect(result.optimizer).toBe(started!.optimizer);
  expect(rates).toHaveLength(1);
  expect(rates[0]!).toBeCloseTo(5e-4, 12);
  expect(result.history.history.val_accuracy![0]!).toBeGreaterThanOrEqual(0.8);
});

it('adamw: keeps the learning rate at 1e-3 and learns (4,500 images, 1 epoch)', async () => {
  const rates: (number | undefined)[] = [];
  const result = await trainMnist({
    backend: 'wasm',
    samples: 5000,
    epochs: 1,
    test: false,
    optimizer: 'adamw',
    onEpoch: (r) => void rates.push(r.learningRate),
  });
  console.log(`adamw: ${JSON.stringify(result.history.history)} lr ${rates.join(', ')}`);
  expect(result.optimizer).toBe('AdamW 1e-3, weight decay 0.004');
  expect(rates).toEqual([1e-3]);
  expect(result.history.history.val_accuracy![0]!).toBeGreaterThanOrEqual(0.8);
});

it('refuses an unknown optimizer with a ConfigError naming the choices', async () => {
  const error = await trainMnist({backend: 'wasm', samples: 100, epochs: 1, test: false, optimizer: 'adagrad' as never}).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(/unknown optimizer 'adagrad'; expected one of adam, adam-decay, adamw, sgd/);
});
