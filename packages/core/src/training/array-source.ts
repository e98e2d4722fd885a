/**
 * The batches of `fit` over arrays: rows of the converted data, in Keras'
 * epoch-iterator order.
 * @module
 */
import {ConfigError, StateError, describe} from '../errors';
import type {LoopModel} from './loop-model';
import type {Compiled} from '../model/options';
import {createRng, nextSeed, type Rng} from '../seed';
import {RowOrder, type RowOrderState, type Shuffle} from './row-order';
import type {BatchSource, SourcedBatch} from './batch-source';
import {evaluateOnDevice} from './evaluate';
import type {FitData} from './fit-data';

/** How `fit` walks its arrays. */
export type ArrayLoop = {
  readonly batchSize: number;
  readonly shuffle: Shuffle;
  /** `stepsPerEpoch`, or null for one pass per epoch. */
  readonly stepsPerEpoch: number | null;
  readonly validationFreq: number;
  readonly validationBatchSize: number;
};

/**
 * A {@link BatchSource} over `data` (already converted and checked; the
 * caller releases it). Made after the model is built: it takes the fit's
 * seeded stream at once.
 */
export function arraySource(model: LoopModel, compiled: Compiled, data: FitData, loop: ArrayLoop): BatchSource {
  const {train, validation} = data;
  const rng = createRng(nextSeed());
  const stream = new RowOrder(train.count, loop.batchSize, loop.shuffle, rng);
  return {
    stepsPerEpoch: loop.stepsPerEpoch ?? stream.batchesPerPass,
    stopsWhenDry: false,
    rng: (): Rng => rng,
    async beginEpoch() {
      if (loop.stepsPerEpoch === null) stream.restart();
    },
    async next(): Promise<SourcedBatch | null> {
      const rows = stream.next();
      if (!rows) return null;
      return {batch: {x: train.x, y: train.y, w: train.w, ...rows}, release: () => {}};
    },
    endEpoch: () => stream.endEpoch(),
    saveState: () => ({rng: rng.state(), rows: stream.saveState()}),
    loadState(state) {
      const saved = state as {rng?: unknown; rows?: unknown} | null;
      if (
        saved === null ||
        typeof saved !== 'object' ||
        typeof saved.rng !== 'number' ||
        saved.rows === null ||
        typeof saved.rows !== 'object'
      ) {
        throw new StateError(`fit: the saved data state must be {rng, rows} from a fit over arrays; got ${describe(state)}.`);
      }
      stream.loadState(saved.rows as RowOrderState);
      rng.setState(saved.rng);
    },
    noBatches: (epoch) => new ConfigError(`fit: epoch ${epoch} got no batch; the data must hold at least one sample.`),
    validate(epoch) {
      // Keras' `_should_eval`: every `validationFreq`-th epoch, counted from 1.
      if (validation === null || (epoch + 1) % loop.validationFreq !== 0) return null;
      return async () => evaluateOnDevice(model, validation, loop.validationBatchSize, compiled, 'val_');
    },
    async close() {},
  };
}
