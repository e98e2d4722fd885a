// The three models the round-trip tests save and load: an MLP with dropout, a CNN with batch
// normalization, pooling and dropout, and a two-input functional model sharing a layer.
import {type FunctionalModel, type Regularizer, Sequential, applyLayer, input, model as functional} from '@trellis/core';
import {batchNormalization, concatenate, conv2d, dense, dropout, flatten, maxPooling2d} from '@trellis/layers';

/** Dense 8→16 (relu, optional kernel regularizer), dropout 0.2, dense 4 (softmax). */
export function mlp(kernelRegularizer?: Regularizer): Sequential {
  return new Sequential([
    dense({units: 16, activation: 'relu', inputShape: [8], ...(kernelRegularizer ? {kernelRegularizer} : {})}),
    dropout({rate: 0.2}),
    dense({units: 4, activation: 'softmax'}),
  ]);
}

/** Conv 3×3×4 (same, relu) on 8×8×1, batch normalization, max pooling, dropout 0.25, dense 3 (softmax). */
export function cnn(): Sequential {
  return new Sequential([
    conv2d({filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1]}),
    batchNormalization(),
    maxPooling2d({poolSize: 2}),
    dropout({rate: 0.25}),
    flatten(),
    dense({units: 3, activation: 'softmax'}),
  ]);
}

/** Inputs `a` [5] and `b` [3], each through its own dense layer and then one shared dense layer, joined, dense 2. */
export function twoInputs(): FunctionalModel {
  const a = input({shape: [5], name: 'a'});
  const b = input({shape: [3], name: 'b'});
  const shared = dense({units: 4, activation: 'tanh', name: 'shared'});
  const ha = applyLayer(shared, applyLayer(dense({units: 5, name: 'pre_a'}), a));
  const hb = applyLayer(shared, applyLayer(dense({units: 5, name: 'pre_b'}), b));
  const joined = applyLayer(concatenate({name: 'join'}), [ha, hb]);
  return functional({inputs: [a, b], outputs: applyLayer(dense({units: 2, name: 'out'}), joined), name: 'two_inputs'});
}
