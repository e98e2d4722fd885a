import * as tf from '@tensorflow/tfjs-core';
import {Model} from '@trellis/core';
import {createTrellis, layers} from 'trellis';

await createTrellis({backend: 'cpu'});

class MLP extends Model {
  readonly hidden = layers.dense({units: 64, activation: 'relu'});
  readonly dropout = layers.dropout({rate: 0.2});
  readonly out = layers.dense({units: 10, activation: 'softmax'});

  call(x: tf.Tensor): tf.Tensor {
    return this.out.apply(this.dropout.apply(this.hidden.apply(x)));
  }
}

const net = new MLP('mlp');
const probabilities = net.predict(tf.zeros([2, 784])); // built from the data's shape
tf.dispose(probabilities);
