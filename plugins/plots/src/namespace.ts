// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {confusionMatrixPlot} from './confusion-matrix-plot';
import {gradientNormChart} from './gradient-norm-chart';
import {gradientNormPlot} from './gradient-norm-plot';
import {liveLossChart} from './live-loss-chart';
import {liveLossPlot} from './live-loss-plot';
import {logFeed} from './log-feed';

/** The plot factories under their plain names: `plots.liveLossPlot({container})`. */
export const plots = Object.freeze({
  confusionMatrixPlot,
  gradientNormChart,
  gradientNormPlot,
  liveLossChart,
  liveLossPlot,
  logFeed,
} as const);
