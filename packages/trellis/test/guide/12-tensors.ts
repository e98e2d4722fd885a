import * as tf from '@tensorflow/tfjs-core';
import {createTrellis} from 'trellis'; // also adds x.slice(...), x.add(...), ... to every tensor (a global side effect)

await createTrellis({backend: 'cpu'});
const x = tf.tensor2d([
  [1, 2, 3],
  [4, 5, 6],
]);
const y = x.slice([0, 1], [2, 2]).add(1).square(); // tf.square(tf.add(tf.slice(x, ...), 1)) as functions
console.log(await y.array()); // [[9, 16], [36, 49]]
tf.dispose([x, y]);
