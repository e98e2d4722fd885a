/**
 * The page: the form, the progress bar, the charts, the test results, the
 * drawing pad and the save/load buttons. Training runs in `worker.ts`; this
 * thread only draws, so it answers clicks while the model trains.
 *
 * `document.body.dataset.state` says what the page is doing: `loading`,
 * `ready` (data loaded, no model), `training`, `paused`, `busy` (saving,
 * loading, evaluating), `trained` (a model is there).
 */
import {createPlots} from './plots';
import {
  OPTIMIZERS,
  SHIPPED,
  type BackendName,
  type Evaluation,
  type OptimizerName,
  type Reply,
  type Request,
  type TrainConfig,
} from './protocol';
import {argMax, digitFigure} from './ui/digits';
import {DrawPad} from './ui/draw-pad';
import {formatDuration, remainingMs} from './ui/eta';

const STORE_URL = 'indexeddb://trellis-mnist';
const DOWNLOAD_NAME = 'trellis-mnist';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page lacks #${id}.`);
  return found as T;
}

const form = element<HTMLFormElement>('train-form');
const optimizerSelect = element<HTMLSelectElement>('optimizer');
const learningRateInput = element<HTMLInputElement>('learning-rate');
const samplesInput = element<HTMLInputElement>('samples');
const backendSelect = element<HTMLSelectElement>('backend');
const buttons = {
  train: element<HTMLButtonElement>('train'),
  pause: element<HTMLButtonElement>('pause'),
  stop: element<HTMLButtonElement>('stop'),
  save: element<HTMLButtonElement>('save'),
  load: element<HTMLButtonElement>('load'),
  download: element<HTMLButtonElement>('download'),
};
const filesInput = element<HTMLInputElement>('files');
const progress = element<HTMLProgressElement>('progress');
const progressText = element<HTMLElement>('progress-text');
const status = element<HTMLElement>('status');

const plots = createPlots({
  curves: element('loss-plots'),
  gradients: element('gradient-plot'),
  confusion: element('confusion-plot'),
});

const worker = new Worker(new URL('./worker.ts', import.meta.url), {type: 'module'});
const send = (request: Request) => worker.postMessage(request);

type State = 'loading' | 'ready' | 'training' | 'paused' | 'busy' | 'trained';
let hasModel = false;

function setState(state: State): void {
  document.body.dataset.state = state;
  const idle = state === 'ready' || state === 'trained';
  const fitting = state === 'training' || state === 'paused';
  buttons.train.disabled = !idle;
  buttons.pause.disabled = !fitting;
  buttons.pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
  buttons.stop.disabled = !fitting;
  buttons.save.disabled = !(idle && hasModel);
  buttons.download.disabled = !(idle && hasModel);
  buttons.load.disabled = !idle;
  filesInput.disabled = !idle;
}

// The form: optimizers with their usual learning rates, the shipped data size.
for (const [name, {label}] of Object.entries(OPTIMIZERS)) optimizerSelect.add(new Option(label, name));
const defaultRate = () => String(OPTIMIZERS[optimizerSelect.value as OptimizerName].learningRate);
learningRateInput.value = defaultRate();
optimizerSelect.addEventListener('change', () => (learningRateInput.value = defaultRate()));
samplesInput.max = String(SHIPPED.train);
samplesInput.value = String(SHIPPED.train);

// WebGPU only where the browser has an adapter.
async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & {gpu?: {requestAdapter(): Promise<unknown>}}).gpu;
  try {
    return gpu !== undefined && (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}
const webgpuOption = backendSelect.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
webgpuOption.disabled = true;
webgpuOption.textContent = 'webgpu (checking…)';
void hasWebGpu().then((available) => {
  webgpuOption.disabled = !available;
  webgpuOption.textContent = available ? 'webgpu (WebGPU)' : 'webgpu (not available in this browser)';
});

// Progress and ETA: steps done over all steps, time spent training (pauses excluded).
let totalSteps = 0;
let trainingMs = 0;
let runningSince = 0;
const elapsed = () => trainingMs + (runningSince ? performance.now() - runningSince : 0);

function showProgress(step: number, epoch: number, epochs: number): void {
  progress.value = totalSteps ? step / totalSteps : 0;
  const left = remainingMs(step, totalSteps, elapsed());
  progressText.textContent = `epoch ${epoch + 1}/${epochs} · step ${step}/${totalSteps} · ${
    left === null ? 'estimating…' : `about ${formatDuration(left)} left`
  }`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  const values = new FormData(form);
  const config: TrainConfig = {
    optimizer: values.get('optimizer') as OptimizerName,
    learningRate: Number(values.get('learningRate')),
    epochs: Number(values.get('epochs')),
    batchSize: Number(values.get('batchSize')),
    samples: Number(values.get('samples')),
    backend: values.get('backend') as BackendName,
  };
  plots.clear();
  clearResults();
  progress.value = 0;
  progressText.textContent = 'starting…';
  status.textContent = `Training with ${OPTIMIZERS[config.optimizer].label}, learning rate ${config.learningRate}, on ${config.backend}…`;
  setState('busy');
  send({type: 'train', config});
});

buttons.pause.addEventListener('click', () => {
  if (document.body.dataset.state === 'paused') {
    runningSince = performance.now();
    setState('training');
    status.textContent = 'Training…';
    send({type: 'resume'});
  } else {
    trainingMs = elapsed();
    runningSince = 0;
    setState('paused');
    status.textContent = 'Paused after the current batch. Resume to go on.';
    send({type: 'pause'});
  }
});
buttons.stop.addEventListener('click', () => {
  status.textContent = 'Stopping after the current batch…';
  send({type: 'stop'});
});

buttons.save.addEventListener('click', () => {
  setState('busy');
  status.textContent = `Saving to ${STORE_URL}…`;
  send({type: 'save', url: STORE_URL});
});
buttons.load.addEventListener('click', () => {
  setState('busy');
  status.textContent = `Loading from ${STORE_URL}…`;
  plots.clear();
  clearResults();
  send({type: 'load', url: STORE_URL, backend: backendSelect.value as BackendName});
});
buttons.download.addEventListener('click', () => {
  setState('busy');
  send({type: 'export', name: DOWNLOAD_NAME});
});
filesInput.addEventListener('change', () => {
  const files = Array.from(filesInput.files ?? []);
  filesInput.value = '';
  if (files.length === 0) return;
  setState('busy');
  status.textContent = `Loading ${files.map((f) => f.name).join(' + ')}…`;
  plots.clear();
  clearResults();
  send({type: 'import', files, backend: backendSelect.value as BackendName});
});

// The drawing pad: classify after every stroke.
let classifyId = 0;
const guess = element<HTMLElement>('guess');
const bars = element<HTMLOListElement>('bars');
const pad = new DrawPad(element<HTMLCanvasElement>('pad'), () => {
  const pixels = pad.pixels();
  if (!pixels) return;
  if (!hasModel) {
    guess.textContent = 'Train a model (or load one) first.';
    return;
  }
  send({type: 'classify', id: ++classifyId, pixels});
});
element<HTMLButtonElement>('clear').addEventListener('click', () => {
  pad.clear();
  bars.replaceChildren();
  guess.textContent = 'Draw a digit.';
  delete guess.dataset.digit;
});

function showGuess(probabilities: number[]): void {
  const best = argMax(probabilities);
  guess.textContent = `It looks like a ${best} (${(probabilities[best]! * 100).toFixed(1)}%).`;
  guess.dataset.digit = String(best);
  bars.replaceChildren(
    ...probabilities.map((p, digit) => {
      const item = document.createElement('li');
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.max(1, p * 200)}px`;
      item.append(`${digit}`, bar, `${(p * 100).toFixed(1)}%`);
      return item;
    }),
  );
}

// Test results.
const accuracyText = element<HTMLElement>('test-accuracy');
const mistakes = element<HTMLElement>('mistakes');
const probe = element<HTMLElement>('probe');

function clearResults(): void {
  accuracyText.dataset.value = '';
  accuracyText.textContent = '…';
  mistakes.replaceChildren();
  probe.replaceChildren();
  probe.dataset.probabilities = '';
}

function showEvaluation(source: string, evaluation: Evaluation): void {
  accuracyText.dataset.value = String(evaluation.accuracy);
  accuracyText.textContent = `Test accuracy ${(evaluation.accuracy * 100).toFixed(2)}% on ${evaluation.samples.toLocaleString('en')} images (loss ${evaluation.loss.toFixed(4)}), model ${source}.`;
  plots.confusion(evaluation.confusion);
  mistakes.replaceChildren(
    ...evaluation.mistakes.map((m) => digitFigure(m.pixels, `${m.label} → ${m.predicted} (${Math.round(m.confidence * 100)}%)`)),
  );
  probe.dataset.probabilities = JSON.stringify(evaluation.probe);
  probe.replaceChildren(
    ...evaluation.probe.map((p, i) => {
      const predicted = argMax(p);
      return digitFigure(evaluation.probePixels[i]!, `${predicted} (${(p[predicted]! * 100).toFixed(1)}%)`);
    }),
  );
}

// The worker's tensor count: it stays put across evaluations, drawings, saves and loads (no leaks).
const memory = element<HTMLElement>('memory');
function showTensors(tensors: number): void {
  memory.dataset.tensors = String(tensors);
  memory.textContent = `Tensors held by the worker: ${tensors} (the model's weights and optimizer state).`;
}

// Save the worker's files as downloads.
function download(files: {name: string; bytes: ArrayBuffer; mime: string}[]): void {
  for (const file of files) {
    const url = URL.createObjectURL(new Blob([file.bytes], {type: file.mime}));
    const link = Object.assign(document.createElement('a'), {href: url, download: file.name});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

let epochs = 1;
let stepsPerEpoch = 1;
worker.onmessage = (event: MessageEvent<Reply>) => {
  const reply = event.data;
  switch (reply.type) {
    case 'status':
      status.textContent = reply.text;
      return;
    case 'data':
      status.textContent = `Ready: ${reply.train.toLocaleString('en')} training and ${reply.test.toLocaleString('en')} test digits loaded.`;
      setState('ready');
      return;
    case 'fit-start':
      epochs = reply.epochs;
      stepsPerEpoch = reply.stepsPerEpoch;
      totalSteps = reply.epochs * reply.stepsPerEpoch;
      trainingMs = 0;
      runningSince = performance.now();
      status.textContent = `Training ${reply.model} on ${reply.backend}: ${reply.trainSamples.toLocaleString('en')} images, ${reply.validationSamples.toLocaleString('en')} held out for validation.`;
      setState('training');
      showProgress(0, 0, epochs);
      return;
    case 'plot': {
      plots.push(reply.event);
      const event = reply.event;
      if (event.kind === 'batchEnd') showProgress(event.epoch * event.stepsPerEpoch + event.batch + 1, event.epoch, epochs);
      if (event.kind === 'epochEnd') showProgress((event.epoch + 1) * stepsPerEpoch, event.epoch, epochs);
      return;
    }
    case 'fit-end':
      hasModel = true;
      runningSince = 0;
      progressText.textContent = `${reply.stopped ? 'stopped' : 'done'} in ${formatDuration(reply.seconds * 1000)}`;
      status.textContent = 'Evaluating on the test images…';
      setState('busy');
      return;
    case 'evaluation':
      hasModel = true;
      showTensors(reply.evaluation.tensors);
      showEvaluation(reply.source, reply.evaluation);
      status.textContent = `Model ${reply.source}.`;
      setState('trained');
      return;
    case 'classified':
      showTensors(reply.tensors);
      if (reply.id === classifyId) showGuess(reply.probabilities);
      return;
    case 'saved':
      status.textContent = `Saved to ${reply.url}.`;
      setState('trained');
      return;
    case 'exported':
      download(reply.files);
      status.textContent = `Downloaded ${reply.files.map((f) => f.name).join(' and ')}.`;
      setState('trained');
      return;
    case 'error':
      console.error(reply.message);
      status.textContent = reply.message;
      setState(hasModel ? 'trained' : 'ready');
      return;
  }
};
worker.onerror = (event) => {
  const message = `The training worker failed: ${event.message || 'its script did not load (see the network log)'}`;
  console.error(message);
  status.textContent = message;
};

setState('loading');
send({type: 'init', dataUrl: new URL('mnist/', document.baseURI).href});
