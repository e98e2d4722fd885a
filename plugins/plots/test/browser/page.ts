// The page of the browser test: a fit in the page with liveLossPlot and gradientNormPlot, a
// confusion matrix of its predictions, then a fit in a Web Worker drawn from its messages.
// It leaves what the test reads in window.plotsResult.
import * as tf from '@tensorflow/tfjs-core';
import {gradientMonitor} from '@trellis/callbacks';
import type {Callback} from '@trellis/core';
import {computeMetric, confusionMatrix} from '@trellis/metrics';
import {confusionMatrixPlot, gradientNormChart, gradientNormPlot, isPlotEvent, liveLossChart, liveLossPlot} from '@trellis/plots';
import {BATCH_SIZE, CLASSES, EPOCHS, model, points} from './fixture';

const element = (id: string) => document.getElementById(id)!;

async function inPage() {
  const m = await model();
  const {x, y} = points();
  const monitor = gradientMonitor({every: 5, print: () => undefined});
  const plot = liveLossPlot({container: element('losses'), batchInterval: 0});
  const gradients = gradientNormPlot({container: element('gradients'), monitor});
  const tensors: number[] = [];
  const counter: Callback = {name: 'tensors', order: 5, onEpochEnd: () => void tensors.push(tf.memory().numTensors)};
  const history = await m.fit(x, y, {
    epochs: EPOCHS,
    batchSize: BATCH_SIZE,
    validationSplit: 0.2,
    callbacks: [monitor, plot, gradients, counter],
  });
  // A second fit of the trained model with new plots: the tensor count after it is the count before it.
  const before = tf.memory().numTensors;
  const again = gradientMonitor({every: 5, print: () => undefined});
  await m.fit(x, y, {
    epochs: 2,
    batchSize: BATCH_SIZE,
    validationSplit: 0.2,
    callbacks: [
      again,
      liveLossPlot({container: element('again'), batchInterval: 0, every: 0}),
      gradientNormPlot({container: element('again'), monitor: again, every: 0}),
    ],
  });
  const after = tf.memory().numTensors;
  const predictions = m.predict(x) as tf.Tensor;
  const matrix = computeMetric(confusionMatrix({numClasses: 3}), y, predictions) as number[][];
  confusionMatrixPlot(element('confusion'), matrix, {labels: CLASSES, title: 'Training set'});
  tf.dispose([x, y, predictions]);
  return {
    history: history.history,
    curves: plot.chart.curves(),
    gradientCurves: gradients.chart.curves(),
    records: monitor.records.length,
    tensors,
    leaked: after - before,
    matrix,
  };
}

function inWorker(): Promise<unknown> {
  const losses = liveLossChart(element('worker-losses'), {metrics: ['loss', 'accuracy']});
  const gradients = gradientNormChart(element('worker-gradients'), {statistic: 'gradRms', every: 100});
  const worker = new Worker('/worker.js', {type: 'module'});
  return new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    worker.onmessage = ({data}) => {
      if (data.type === 'plot' && isPlotEvent(data.event)) {
        losses.push(data.event);
        gradients.push(data.event);
      } else if (data.type === 'done') {
        worker.terminate();
        resolve({history: data.history, records: data.records, curves: losses.curves(), gradientCurves: gradients.curves()});
      }
    };
  });
}

/** The charts' methods by hand: throttled pushes, flush, clear, destroy; a heat map's update. */
function lifecycle() {
  const points = (el: Element) => Array.from(el.querySelectorAll('figure')).map((f) => Number(f.getAttribute('data-points')));
  const errorName = (run: () => unknown) => {
    try {
      run();
      return 'none';
    } catch (error) {
      return (error as Error).name;
    }
  };
  const chart = liveLossChart(element('lifecycle'), {every: 60_000});
  for (let epoch = 0; epoch < 5; epoch++) chart.push({kind: 'epochEnd', epoch, logs: {loss: 1 / (epoch + 1), val_loss: 2 / (epoch + 1)}});
  const throttled = points(chart.element);
  chart.flush();
  const flushed = points(chart.element);
  chart.clear();
  const cleared = chart.element.querySelectorAll('figure').length;
  chart.push({kind: 'epochEnd', epoch: 0, logs: {loss: 1}});
  chart.push({kind: 'fitEnd'});
  const afterFitEnd = points(chart.element);
  const badPush = errorName(() => chart.push({kind: 'epochEnd'} as never));
  chart.destroy();
  const removed = element('lifecycle').children.length;
  const pushAfterDestroy = errorName(() => chart.push({kind: 'fitEnd'}));

  const heatMap = confusionMatrixPlot(element('lifecycle'), [
    [1, 2],
    [3, 4],
  ]);
  heatMap.update([
    [5, 0],
    [0, 7],
  ]);
  const updated = Array.from(heatMap.element.querySelectorAll('g.cell text')).map((t) => t.textContent);
  const wrongSize = errorName(() => heatMap.update([[1]]));
  heatMap.destroy();
  return {
    throttled,
    flushed,
    cleared,
    afterFitEnd,
    badPush,
    removed,
    pushAfterDestroy,
    updated,
    wrongSize,
    left: element('lifecycle').children.length,
  };
}

(async () => {
  try {
    const page = await inPage();
    const worker = await inWorker();
    (window as unknown as {plotsResult: unknown}).plotsResult = {page, worker, lifecycle: lifecycle()};
  } catch (error) {
    (window as unknown as {plotsResult: unknown}).plotsResult = {error: String((error as Error).stack ?? error)};
  }
})();
