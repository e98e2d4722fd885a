/**
 * The initialization experiment: the same deep MLP trained one epoch on MNIST
 * from three initializations, then the L2 norm of each layer's gradients.
 * With sigmoid units and weights drawn from N(0, 1) the pre-activations are
 * large, the sigmoids saturate, and the gradients of the first layers vanish;
 * Glorot initialization keeps them alive for sigmoid, He initialization for
 * relu.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  Sequential,
  accuracy,
  createTrellis,
  dense,
  initializers,
  loadMnist,
  setSeed,
  sgd,
  sparseCategoricalCrossentropy,
  type Initializer,
} from 'trellis';
import {normsByLayer, valueAndGrads} from '@trellis/core';

/** One run of the experiment. */
export type Setup = {
  readonly name: string;
  readonly activation: 'sigmoid' | 'relu';
  readonly kernelInitializer: () => Initializer;
};

/** The three setups of the lecture. */
export const setups: readonly Setup[] = [
  {name: 'sigmoid, randomNormal(0, 1)', activation: 'sigmoid', kernelInitializer: () => initializers.randomNormal({mean: 0, stddev: 1})},
  {name: 'sigmoid, glorotUniform', activation: 'sigmoid', kernelInitializer: () => initializers.glorotUniform()},
  {name: 'relu, heNormal', activation: 'relu', kernelInitializer: () => initializers.heNormal()},
];

/** What one setup gave. */
export type SetupResult = {
  readonly name: string;
  /** L2 norm of each hidden and output layer's gradients (kernel and bias), first layer first. */
  readonly norms: readonly number[];
  /** Validation accuracy after the epoch. */
  readonly valAccuracy: number;
};

/**
 * The experiment's MLP: `[n, 784]` images in, `depth` hidden layers of 128
 * units with the setup's activation, then 10 softmax probabilities out; every
 * kernel starts from the setup's initializer. The caller disposes the model.
 */
export function deepMlp(setup: Setup, depth: number): Sequential {
  const hidden = Array.from({length: depth}, (_, i) =>
    dense({
      units: 128,
      activation: setup.activation,
      kernelInitializer: setup.kernelInitializer(),
      ...(i === 0 ? {inputShape: [784]} : {}),
    }),
  );
  return new Sequential([...hidden, dense({units: 10, activation: 'softmax', kernelInitializer: setup.kernelInitializer()})]);
}

/** Options of {@link runExperiment}. */
export type ExperimentOptions = {
  readonly backend?: 'wasm' | 'cpu';
  /** Training images (default 10,000). */
  readonly samples?: number;
  /** Hidden layers of 128 units (default 5). */
  readonly depth?: number;
  readonly seed?: number;
};

/**
 * Trains each setup one epoch (SGD 0.1, batch 64, 10% validation), then takes
 * the gradients of the loss over the first 1,000 training images and reports
 * each layer's gradient norm. Frees every tensor it made.
 */
export async function runExperiment(options: ExperimentOptions = {}): Promise<SetupResult[]> {
  await createTrellis({backend: options.backend ?? 'wasm'});
  const {train} = await loadMnist({split: 'train', samples: options.samples ?? 10_000});
  const results: SetupResult[] = [];
  try {
    for (const setup of setups) {
      setSeed(options.seed ?? 1);
      const model = deepMlp(setup, options.depth ?? 5);
      try {
        const loss = sparseCategoricalCrossentropy();
        model.compile({optimizer: sgd({learningRate: 0.1}), loss, metrics: [accuracy()]});
        const history = await model.fit(train.x, train.y, {epochs: 1, batchSize: 64, validationSplit: 0.1});
        const n = Math.min(1000, train.x.shape[0]!);
        const [xb, yb] = [tf.slice(train.x, 0, n), tf.slice(train.y, 0, n)];
        const {value, grads} = valueAndGrads(() => tf.mean(loss(yb, model.apply(xb, {training: true}))), model);
        const byLayer = normsByLayer(grads);
        const norms = model.layers.map((layer) => byLayer[layer.name]!.dataSync()[0]!);
        tf.dispose([xb, yb, value, grads, byLayer]);
        results.push({name: setup.name, norms, valAccuracy: history.history.val_accuracy![0]!});
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([train.x, train.y]);
  }
  return results;
}
