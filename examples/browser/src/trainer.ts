/**
 * What the worker does: builds and trains the MLP, evaluates it on the
 * shipped test images, classifies drawings, saves and loads the model.
 * Every tensor made here is disposed here.
 */
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry, Sequential, setSeed, type Callback, type FitContext} from '@trellis/core';
import {gradientMonitor} from '@trellis/callbacks';
import {dense, layersPlugin, sparseCategoricalCrossentropy} from '@trellis/layers';
import {accuracy, computeMetricAsync, confusionMatrix, metricsPlugin} from '@trellis/metrics';
import {logFeed} from '@trellis/plots';
import {adagrad, adam, adamw, optimizersPlugin, rmsprop, sgd} from '@trellis/optimizers';
import {loadModel, saveModel} from '@trellis/serializers';
import {selectBackend} from './backends';
import {toTensors, type Mnist} from './mnist';
import {PROBE_IMAGES, type BackendName, type Evaluation, type Mistake, type OptimizerName, type Reply, type TrainConfig} from './protocol';

/** The architecture, as the page describes it. */
const MODEL_LABEL = 'MLP 784-256-128-10 (relu, softmax)';
/** Misclassified test images sent to the page. */
const MISTAKES = 40;
/** Running logs are read back for the charts at most this often during an epoch (ms). */
const BATCH_INTERVAL = 150;

/** The registry `loadModel` rebuilds layers, optimizers and metrics from. */
const registry = createRegistry(layersPlugin, optimizersPlugin, metricsPlugin);

function buildModel(): Sequential {
  return new Sequential([
    dense({units: 256, activation: 'relu', inputShape: [784]}),
    dense({units: 128, activation: 'relu'}),
    dense({units: 10, activation: 'softmax'}),
  ]);
}

function optimizer(name: OptimizerName, learningRate: number) {
  switch (name) {
    case 'adam':
      return adam({learningRate});
    case 'adamw':
      return adamw({learningRate, weightDecay: 0.004});
    case 'rmsprop':
      return rmsprop({learningRate});
    case 'sgd':
      return sgd({learningRate, momentum: 0.9});
    case 'adagrad':
      return adagrad({learningRate});
  }
}

/** The worker's state: the data, the current model, the pause/stop flags. */
export class Trainer {
  private model: Sequential | null = null;
  private paused: (() => void) | null = null;
  private pausing = false;
  private stopping = false;

  constructor(
    private readonly data: Mnist,
    private readonly post: (reply: Reply) => void,
  ) {}

  /** Pauses the running fit after its current batch (no-op when none runs). */
  pause(): void {
    this.pausing = true;
  }

  /** Resumes a paused fit. */
  resume(): void {
    this.pausing = false;
    this.paused?.();
    this.paused = null;
  }

  /** Stops the running fit after its current batch. */
  stop(): void {
    this.stopping = true;
    this.resume();
  }

  /** Trains a new model with `config`, then evaluates it. */
  async train(config: TrainConfig): Promise<void> {
    this.pausing = false;
    this.stopping = false;
    const backend = await selectBackend(config.backend);
    setSeed(1);
    this.model?.dispose();
    this.model = null;
    const model = buildModel();
    model.compile({
      optimizer: optimizer(config.optimizer, config.learningRate),
      loss: sparseCategoricalCrossentropy(),
      metrics: [accuracy()],
    });
    const {x, y} = toTensors(this.data.train, config.samples);
    const samples = x.shape[0];
    const validationSamples = samples - Math.floor(samples * 0.9);
    const stepsPerEpoch = Math.ceil((samples - validationSamples) / config.batchSize);
    this.post({
      type: 'fit-start',
      backend,
      epochs: config.epochs,
      stepsPerEpoch,
      trainSamples: samples - validationSamples,
      validationSamples,
      model: MODEL_LABEL,
    });
    const started = performance.now();
    try {
      const history = await model.fit(x, y, {
        epochs: config.epochs,
        batchSize: config.batchSize,
        validationSplit: 0.1,
        callbacks: this.callbacks(),
      });
      this.model = model;
      this.post({type: 'fit-end', stopped: history.stopReason !== null, seconds: (performance.now() - started) / 1000});
    } catch (error) {
      model.dispose();
      throw error;
    } finally {
      tf.dispose([x, y]);
    }
    await this.evaluate(`trained on ${backend}`);
  }

  /**
   * The fit's callbacks: `gradientMonitor` (every 10 steps), `logFeed` sending
   * the logs and gradient norms to the page, and the pause/stop switch.
   */
  private callbacks(): Callback[] {
    const monitor = gradientMonitor({every: 10, log: false, print: (message) => this.post({type: 'status', text: message})});
    const feed = logFeed((event) => this.post({type: 'plot', event}), {monitor, batchInterval: BATCH_INTERVAL});
    const control: Callback = {
      name: 'pauseAndStop',
      onBatchEnd: async (context: FitContext) => {
        if (this.pausing) await new Promise<void>((resolve) => (this.paused = resolve));
        if (this.stopping) context.stop('stopped from the page');
      },
    };
    return [monitor, feed, control];
  }

  /**
   * Evaluates the current model on the shipped test images and posts the
   * accuracy, the confusion matrix (`confusionMatrix` of `@trellis/metrics`),
   * the first misclassified digits and the probe predictions.
   */
  async evaluate(source: string): Promise<void> {
    const model = this.requireModel();
    const {x, y} = toTensors(this.data.test);
    let probabilities: tf.Tensor | undefined;
    let evaluation: Omit<Evaluation, 'tensors'>;
    try {
      const result = await model.evaluate(x, y, {batchSize: 500});
      probabilities = model.predict(x, {batchSize: 500}) as tf.Tensor;
      const confusion = (await computeMetricAsync(confusionMatrix({numClasses: 10}), y, probabilities)) as number[][];
      const scores = await probabilities.data();
      const {labels, pixels, count} = this.data.test;
      const row = (i: number) => Array.from(scores.subarray(i * 10, (i + 1) * 10));
      const mistakes: Mistake[] = [];
      for (let i = 0; i < count && mistakes.length < MISTAKES; i++) {
        const p = row(i);
        const predicted = p.indexOf(Math.max(...p));
        if (predicted !== labels[i]) {
          mistakes.push({index: i, label: labels[i]!, predicted, confidence: p[predicted]!, pixels: pixels.slice(i * 784, (i + 1) * 784)});
        }
      }
      evaluation = {
        accuracy: result.accuracy ?? Number.NaN,
        loss: result.loss ?? Number.NaN,
        samples: count,
        confusion,
        mistakes,
        probe: Array.from({length: PROBE_IMAGES}, (_, i) => row(i)),
        probeLabels: Array.from(labels.subarray(0, PROBE_IMAGES)),
        probePixels: Array.from({length: PROBE_IMAGES}, (_, i) => pixels.slice(i * 784, (i + 1) * 784)),
      };
    } finally {
      tf.dispose([x, y, ...(probabilities ? [probabilities] : [])]);
    }
    this.post({type: 'evaluation', source, evaluation: {...evaluation, tensors: tf.memory().numTensors}});
  }

  /** Class probabilities of one 28×28 image (784 values in [0, 1]), and the tensors the worker holds afterwards. */
  async classify(pixels: Float32Array): Promise<{probabilities: number[]; tensors: number}> {
    const model = this.requireModel();
    const input = tf.tensor2d(pixels, [1, 784]);
    let probabilities: number[];
    try {
      const output = model.predict(input) as tf.Tensor;
      try {
        probabilities = Array.from(await output.data());
      } finally {
        output.dispose();
      }
    } finally {
      input.dispose();
    }
    return {probabilities, tensors: tf.memory().numTensors};
  }

  /** Saves the model (weights, compile config, optimizer state) to a tfjs URL such as `indexeddb://name`. */
  async save(url: string): Promise<void> {
    await saveModel(this.requireModel(), url);
  }

  /** The model as the two files tfjs' `downloads://` writes: `<name>.json` and `<name>.weights.bin`. */
  async export(name: string): Promise<{name: string; bytes: ArrayBuffer; mime: string}[]> {
    let captured: tf.io.ModelArtifacts | undefined;
    await saveModel(
      this.requireModel(),
      tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
      }),
    );
    if (!captured?.weightData || !captured.weightSpecs) throw new Error('saveModel handed the save handler no weights.');
    const weights = tf.io.CompositeArrayBuffer.join(captured.weightData);
    // model.json as tfjs' browserDownloads writes it: the artifacts without their weights, plus the manifest.
    const {weightData: _data, weightSpecs, ...json} = captured;
    const modelJson: tf.io.ModelJSON = {
      ...json,
      modelTopology: json.modelTopology ?? {},
      weightsManifest: [{paths: [`./${name}.weights.bin`], weights: weightSpecs}],
    };
    return [
      {name: `${name}.json`, bytes: new TextEncoder().encode(JSON.stringify(modelJson)).buffer as ArrayBuffer, mime: 'application/json'},
      {name: `${name}.weights.bin`, bytes: weights, mime: 'application/octet-stream'},
    ];
  }

  /** Loads a model from a tfjs URL or io handler onto `backend`, then evaluates it. */
  async load(source: string | tf.io.IOHandler, backend: BackendName, label: string): Promise<void> {
    const active = await selectBackend(backend);
    const model = await loadModel(source, {registry});
    if (!(model instanceof Sequential)) {
      model.dispose();
      throw new Error(`${label} holds a functional model; this page trains and loads its Sequential MLP.`);
    }
    this.model?.dispose();
    this.model = model;
    await this.evaluate(`loaded from ${label} on ${active}`);
  }

  private requireModel(): Sequential {
    if (!this.model) throw new Error('No model yet: train one or load one first.');
    return this.model;
  }
}
