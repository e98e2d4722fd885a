// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {backupAndRestore} from './backup/backup-and-restore';
import {csvLogger} from './csv-logger';
import {earlyStopping} from './early-stopping';
import {gradientMonitor} from './gradient-monitor/gradient-monitor';
import {lambdaCallback} from './lambda-callback';
import {learningRateScheduler} from './learning-rate-scheduler';
import {progressBar} from './progress-bar';
import {reduceLROnPlateau} from './reduce-lr-on-plateau';
import {terminateOnNaN} from './terminate-on-nan';

/** Callback factories under their plain names: `callbacks.earlyStopping({patience: 3})`. */
export const callbacks = Object.freeze({
  backupAndRestore,
  csvLogger,
  earlyStopping,
  gradientMonitor,
  lambdaCallback,
  learningRateScheduler,
  progressBar,
  reduceLROnPlateau,
  terminateOnNaN,
} as const);
