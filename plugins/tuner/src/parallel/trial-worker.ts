/**
 * The worker thread of a parallel search: loads the hypermodel module (and
 * its `setup`, which picks this thread's backend), rebuilds the data and the
 * callbacks, then runs the trials it is sent, one at a time.
 * @module
 */
import {parentPort, workerData} from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import {defaultRegistry, type Callback, type FitOptions, type ModelData, type TensorInput} from '@trellis/core';
import {errorMessage, runTrialJob, type TrialEnvironment} from '../tuner/run-trial';
import {weightBuffers} from '../tuner/weights';
import {loadHypermodel} from './hypermodel-module';
import type {FromWorker, ToWorker, WorkerSetup} from './messages';
import {fromWire} from './wire';

const port = parentPort!;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function start(setup: WorkerSetup): Promise<TrialEnvironment> {
  const module = await loadHypermodel(setup.hypermodel);
  if (typeof module.setup === 'function') await module.setup();
  await tf.ready();
  const registry = module.registry ?? defaultRegistry();
  const {x, y, fitOptions} = fromWire(setup.data, []) as {x: TensorInput | ModelData; y: TensorInput | ModelData; fitOptions: FitOptions};
  // Fresh callbacks for every execution, as Keras Tuner deep-copies them.
  const callbacks = (): Callback[] => setup.callbacks.map((spec) => registry.resolve('callback', spec));
  callbacks();
  return {buildModel: module.buildModel, x, y, fitOptions, callbacks, objective: setup.objective};
}

try {
  const env = await start(workerData as WorkerSetup);
  port.on('message', (message: ToWorker) => {
    if (message.type !== 'run') return;
    void runTrialJob(message.job, env).then((outcome) => {
      post({type: 'done', outcome}, outcome.weights ? weightBuffers(outcome.weights) : []);
    });
  });
  post({type: 'ready', backend: tf.getBackend()});
} catch (error) {
  post({type: 'failed', message: errorMessage(error)});
}
