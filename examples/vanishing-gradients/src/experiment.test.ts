import {expect, it} from 'vitest';
import {runExperiment} from './experiment';

it('shows vanishing gradients with sigmoid and their absence with relu + He initialization', async () => {
  const [normal, glorot, he] = await runExperiment({samples: 3000});
  const ratio = (r: {norms: readonly number[]}) => r.norms[0]! / r.norms.at(-1)!;
  console.log(
    [normal, glorot, he].map((r) => `${r!.name}: ${r!.norms.map((v) => v.toExponential(2)).join(' ')}; val ${r!.valAccuracy}`).join('\n'),
  );
  // Sigmoid: the first layer's gradients are far below the output layer's.
  expect(ratio(normal!)).toBeLessThan(0.25);
  expect(ratio(glorot!)).toBeLessThan(0.02);
  // relu + He: they stay of the same order through the depth.
  expect(ratio(he!)).toBeGreaterThan(0.5);
  // And only that network learns in one epoch.
  expect(he!.valAccuracy).toBeGreaterThan(Math.max(normal!.valAccuracy, glorot!.valAccuracy) + 0.3);
});
