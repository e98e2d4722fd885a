/**
 * The training worker: the page posts {@link Request}s, the worker answers
 * with {@link Reply}s. Training runs here so that the page stays responsive.
 * Requests run one at a time, in order; `pause`, `resume` and `stop` act at
 * once on the running fit.
 */
import * as tf from '@tensorflow/tfjs-core';
import {fetchMnist} from './mnist';
import type {Reply, Request} from './protocol';
import {Trainer} from './trainer';

/** The part of the worker's global scope used here (the page's tsconfig has the DOM library, not WebWorker's). */
type WorkerScope = {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
};
const scope = self as unknown as WorkerScope;

const post = (reply: Reply) => {
  const transfer = reply.type === 'exported' ? reply.files.map((file) => file.bytes) : [];
  scope.postMessage(reply, transfer);
};

let trainer: Trainer | undefined;
let queue: Promise<void> = Promise.resolve();

function requireTrainer(): Trainer {
  if (!trainer) throw new Error('The data is not loaded yet.');
  return trainer;
}

async function handle(request: Request): Promise<void> {
  switch (request.type) {
    case 'init': {
      const data = await fetchMnist(request.dataUrl);
      trainer = new Trainer(data, post);
      post({type: 'data', train: data.train.count, test: data.test.count});
      return;
    }
    case 'train':
      return requireTrainer().train(request.config);
    case 'classify':
      post({type: 'classified', id: request.id, ...(await requireTrainer().classify(request.pixels))});
      return;
    case 'save':
      await requireTrainer().save(request.url);
      post({type: 'saved', url: request.url});
      return;
    case 'export':
      post({type: 'exported', files: await requireTrainer().export(request.name)});
      return;
    case 'load':
      return requireTrainer().load(request.url, request.backend, request.url);
    case 'import': {
      // tfjs' browserFiles wants model.json first, then the weight files.
      const files = [...request.files].sort((a, b) => Number(b.name.endsWith('.json')) - Number(a.name.endsWith('.json')));
      return requireTrainer().load(tf.io.browserFiles(files), request.backend, files.map((file) => file.name).join(' + '));
    }
    case 'pause':
    case 'resume':
    case 'stop':
      return;
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'pause') return trainer?.pause();
  if (request.type === 'resume') return trainer?.resume();
  if (request.type === 'stop') return trainer?.stop();
  queue = queue
    .then(() => handle(request))
    .catch((error: unknown) => post({type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error)}));
};
