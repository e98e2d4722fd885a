// Callbacks see the learning rate of the next update (context.learningRate),
// computed on the host from the optimizer's rate or schedule.
import * as tf from '@tensorflow/tfjs-core';
import {expect, it} from 'vitest';
import {onCpu} from '../test/cpu';
import {Sequential, dense, meanSquaredError, sgd, type Callback, type Schedule} from './index';
import {withSpec} from '@trellis/core';

onCpu();

it('context.learningRate follows the schedule at the optimizer step, and is the number for a constant rate', async () => {
  const halving = withSpec({id: 'test/halving', config: {}}, ((step: number) => 0.1 / 2 ** step) as Schedule);
  const seen: number[] = [];
  const recorder: Callback = {
    name: 'rates',
    onBatchStart(context) {
      seen.push(context.learningRate!);
    },
  };
  const x = tf.ones([8, 2]);
  const y = tf.zeros([8, 1]);
  const scheduled = new Sequential([dense({units: 1, inputShape: [2]})]);
  scheduled.compile({optimizer: sgd({learningRate: halving}), loss: meanSquaredError()});
  await scheduled.fit(x, y, {epochs: 2, batchSize: 4, callbacks: [recorder]});
  expect(seen).toEqual([0.1, 0.05, 0.025, 0.0125]);

  const constant = new Sequential([dense({units: 1, inputShape: [2]})]);
  constant.compile({optimizer: sgd({learningRate: 0.3}), loss: meanSquaredError()});
  const rates: (number | undefined)[] = [];
  await constant.fit(x, y, {epochs: 1, batchSize: 8, callbacks: [{name: 'r', onEpochEnd: (c) => void rates.push(c.learningRate)}]});
  expect(rates).toEqual([0.3]);
  tf.dispose([x, y]);
  scheduled.dispose();
  constant.dispose();
});
