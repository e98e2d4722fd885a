/**
 * `backupAndRestore({backupDir})`: Keras' `BackupAndRestore` — a run killed
 * part-way continues where its last backup left it, exactly.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkNumber,
  checkOptions,
  ConfigError,
  describeValue,
  optionKeys,
  type Callback,
  type FitContext,
  type OptimizerState,
} from '@trellis/core';
import {BackupFolder} from './backup-folder';
import {decodeCheckpoint, encodeCheckpoint} from './checkpoint-codec';

/** Options of {@link backupAndRestore}. */
export type BackupAndRestoreOptions = {
  /** The folder of the backups (Node); created when needed. */
  readonly backupDir: string;
  /** Back up at every epoch end (`'epoch'`, default) or every N optimizer steps. */
  readonly saveFreq?: 'epoch' | number;
  /** Delete the backups when the fit ends normally (default true, as Keras). */
  readonly deleteCheckpoint?: boolean;
  /** How many of the newest backups to keep (default 1). */
  readonly keep?: number;
};

/** The JSON config of a {@link backupAndRestore} spec. */
export type BackupAndRestoreConfig = {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  readonly keep: number;
};

const KEYS = optionKeys<BackupAndRestoreOptions>({backupDir: true, saveFreq: true, deleteCheckpoint: true, keep: true});
const WHO = 'backupAndRestore';

/**
 * Backs the run up to `backupDir` at every epoch end (or every `saveFreq`
 * steps) and, when a fit starts with a backup there, continues from it:
 * Keras' `BackupAndRestore`, with more kept. A backup holds the weights, the
 * optimizer state (slots, step counter, learning-rate factor), and the fit's
 * training state (`context.trainingState()`: epoch, batch, step, random
 * stream, batch order, every callback's `saveState()`). Restoring puts them
 * all back before the first epoch (`context.resume`), so on the cpu backend
 * a killed and restarted run ends with the weights of an uninterrupted one,
 * bit for bit. Call `fit` again with the same data and options to resume.
 *
 * Writes never leave a half-written backup behind: each is written to a
 * temporary folder, flushed, renamed, and only then named the latest (see
 * `BackupFolder`); a crash mid-write leaves the previous backup as the one
 * read. A backup that is corrupt or truncated is a `DataError` naming the
 * file, and a backup of another model a `StateError`/`ShapeError` from
 * `setWeights`/`setState` — checked before the model is touched.
 *
 * With `saveFreq: N` a backup is taken after every N-th step, except after
 * an epoch's last batch (the epoch's end backs up then when `saveFreq` is
 * `'epoch'`). `fitDataset` can only resume at epoch ends. On the wasm
 * backend a resumed run continues from the same weights and random stream,
 * but floating-point sums may round differently from an uninterrupted run
 * (multi-threaded kernels), so "exact" means bit-identical on cpu.
 *
 * @example
 * await model.fit(x, y, {epochs: 50, callbacks: [backupAndRestore({backupDir: 'runs/backup'})]});
 * @throws ConfigError for an unknown option, an empty `backupDir`, a bad `saveFreq` or `keep`.
 */
export function backupAndRestore(
  options: BackupAndRestoreOptions,
): Callback & {readonly spec: {readonly id: 'trellis/backupAndRestore'; readonly config: BackupAndRestoreConfig}} {
  checkOptions(WHO, options, KEYS);
  const backupDir = options?.backupDir;
  if (typeof backupDir !== 'string' || backupDir.trim() === '') {
    throw new ConfigError(
      `${WHO}: backupDir must be a folder path; got ${describeValue(backupDir)}. For example backupAndRestore({backupDir: 'runs/backup'}).`,
    );
  }
  const saveFreq = options.saveFreq ?? 'epoch';
  if (saveFreq !== 'epoch') checkNumber(WHO, 'saveFreq', saveFreq, {min: 1, integer: true, example: 100});
  const deleteCheckpoint = checkBoolean(WHO, 'deleteCheckpoint', options.deleteCheckpoint ?? true);
  const keep = checkNumber(WHO, 'keep', options.keep ?? 1, {min: 1, integer: true, example: 1});
  const folder = new BackupFolder(backupDir);

  const backUp = async (context: FitContext) => {
    const training = context.trainingState();
    const weights = context.model.getWeights();
    const optimizer = context.model.optimizer.getState();
    try {
      const {header, blob} = encodeCheckpoint({training, weights, optimizer});
      await folder.write(header, blob, keep);
    } finally {
      tf.dispose([weights, optimizer.state] as tf.TensorContainer);
    }
  };

  /**
   * The model's weights and optimizer state from before a restore, kept until the restored fit
   * trains a step: what the loop checks after `onFitStart` (the data's and the callbacks' saved
   * states) can still refuse the backup, and the model is then put back as it was (`onError`).
   */
  let undo: {readonly step: number; readonly weights: tf.NamedTensorMap; readonly optimizer: OptimizerState} | null = null;
  const putBack = (context: FitContext, saved: {readonly weights: tf.NamedTensorMap; readonly optimizer: OptimizerState}) => {
    context.model.setWeights(saved.weights);
    context.model.optimizer.setState(saved.optimizer);
  };
  const dropUndo = () => {
    if (undo) tf.dispose([undo.weights, undo.optimizer.state] as tf.TensorContainer);
    undo = null;
  };

  const callback: Callback & {readonly spec: {readonly id: 'trellis/backupAndRestore'; readonly config: BackupAndRestoreConfig}} = {
    name: WHO,
    spec: {id: 'trellis/backupAndRestore', config: {backupDir, saveFreq, deleteCheckpoint, keep}},
    async onFitStart(context) {
      dropUndo();
      const found = await folder.read();
      if (found === null) return;
      const checkpoint = decodeCheckpoint(found.header, found.blob, found.where);
      let weights: tf.NamedTensorMap | undefined;
      let optimizer: OptimizerState | undefined;
      try {
        // The training state first: resume checks it and changes nothing until the loop starts.
        context.resume(checkpoint.training);
        weights = context.model.getWeights();
        optimizer = context.model.optimizer.getState();
        try {
          context.model.setWeights(checkpoint.weights);
          context.model.optimizer.setState(checkpoint.optimizer);
        } catch (error) {
          putBack(context, {weights, optimizer});
          throw error;
        }
        undo = {step: checkpoint.training.step, weights, optimizer};
      } finally {
        tf.dispose([checkpoint.weights, checkpoint.optimizer.state] as tf.TensorContainer);
        if (undo === null) tf.dispose([weights, optimizer?.state] as tf.TensorContainer);
      }
    },
    async onEpochEnd(context) {
      dropUndo();
      if (saveFreq === 'epoch') await backUp(context);
    },
    async onFitEnd() {
      dropUndo();
      if (deleteCheckpoint) await folder.clear();
    },
    async onError(context) {
      // A fit that fails before its first step after a restore leaves the model as it was before the fit.
      if (undo !== null && context.step <= undo.step) putBack(context, undo);
      dropUndo();
    },
  };
  // Only a step-wise backup has a batch hook (a fit without batch hooks does no per-batch work for them).
  if (saveFreq !== 'epoch') {
    (callback as Callback).onBatchEnd = async (context) => {
      dropUndo();
      if (context.step % saveFreq !== 0 || context.batch + 1 >= context.params.stepsPerEpoch) return;
      await backUp(context);
    };
  }
  return callback;
}
