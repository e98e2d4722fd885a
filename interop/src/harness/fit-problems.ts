/**
 * Data, loss and optimizer that several `fit` cases share, each case with its
 * own seeds.
 * @module
 */
import {categoricalCrossentropy, sgd} from 'trellis';
import {classIds, oneHot, uniformTensor} from './cases';
import type {FitCase} from './fit-cases';

/**
 * A 3-class problem on 5 features: `x` is 30 samples `[30, 5]` uniform in
 * [-2, 2) (seed `seed`), `y` their one-hot classes `[30, 3]` (seed `seed + 1`),
 * trained with categorical crossentropy and SGD at learning rate 0.1 for 3
 * epochs in batches of 8 (the last batch of each epoch has 6 samples).
 */
export function threeClassFitOnFiveFeatures(seed: number): Omit<FitCase, 'model'> {
  return {
    inputShape: [5],
    x: uniformTensor([30, 5], seed, -2, 2),
    y: oneHot(classIds([30], 3, seed + 1), 3),
    loss: () => categoricalCrossentropy(),
    optimizer: () => sgd({learningRate: 0.1}),
    epochs: 3,
    batchSize: 8,
  };
}
