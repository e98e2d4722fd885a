/**
 * The page's charts, drawn by `@trellis/plots`: one chart per metric (loss
 * and accuracy, training and validation curves, as livelossplot draws them),
 * the per-layer gradient norms, and the confusion matrix of the test set.
 * The worker's `logFeed` sends the events; this module is the only one that
 * draws them.
 */
import {confusionMatrixPlot, gradientNormChart, liveLossChart, type ConfusionMatrixPlot, type PlotEvent} from '@trellis/plots';

/** What the page feeds the charts with. */
export type PagePlots = {
  /** One event of the worker's `logFeed`. */
  push(event: PlotEvent): void;
  /** Forgets every curve and the confusion matrix (a new fit or a loaded model). */
  clear(): void;
  /** Draws a 10 × 10 confusion matrix, rows true digits, columns predicted ones. */
  confusion(matrix: number[][]): void;
};

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The charts, drawn into the page's containers. */
export function createPlots(containers: {curves: HTMLElement; gradients: HTMLElement; confusion: HTMLElement}): PagePlots {
  const curves = liveLossChart(containers.curves, {metrics: ['loss', 'accuracy'], width: 340});
  const gradients = gradientNormChart(containers.gradients, {width: 340});
  let heatMap: ConfusionMatrixPlot | null = null;
  return {
    push(event) {
      curves.push(event);
      gradients.push(event);
    },
    clear() {
      curves.clear();
      gradients.clear();
      heatMap?.destroy();
      heatMap = null;
    },
    confusion(matrix) {
      if (heatMap) heatMap.update(matrix);
      else
        heatMap = confusionMatrixPlot(containers.confusion, matrix, {
          labels: DIGITS,
          title: 'Confusion matrix (test set)',
          cellSize: 30,
        });
    },
  };
}
