/**
 * The batches of `fitDataset`: a dataset read pass by pass, each batch
 * checked and converted as `fit` converts its arrays.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describe} from '../errors';
import type {LoopModel} from './loop-model';
import type {Compiled} from '../model/options';
import {createRng, nextSeed, type Rng} from '../seed';
import type {BatchSource, SourcedBatch} from './batch-source';
import {BatchReader, isTensorTuple, takeBatch, type Dataset, type FitDatasetOptions} from './dataset';
import {evaluateDataset} from './evaluate-dataset';
import {evaluateOnDevice} from './evaluate';
import {prepareData, type Rows} from './fit-data';
import {release, type OwnedTensor} from './inputs';
import {streamRows} from './dataset-rows';

/** How `fitDataset` reads its dataset. */
export type DatasetLoop = {
  /** `batchesPerEpoch`, or null for one pass (of known `cardinality`) per epoch. */
  readonly batchesPerEpoch: number | null;
  /** Batches in one pass: a finite count, `Infinity`, or null when unknown. */
  readonly cardinality: number | null;
  readonly validationBatchSize: number;
  readonly validationBatches: number | null;
  readonly keepBatches: boolean;
};

/**
 * A {@link BatchSource} over `dataset`. The model is built from the first
 * batch; then the tensor validation data is converted and the fit's seeded
 * stream made (in that order, so runs stay seed-for-seed identical).
 */
export function datasetSource(
  model: LoopModel,
  compiled: Compiled,
  dataset: Dataset,
  loop: DatasetLoop,
  options: Pick<FitDatasetOptions, 'validationData' | 'classWeight'>,
): BatchSource {
  const {batchesPerEpoch, cardinality} = loop;
  let reader: BatchReader | null = null;
  let rng: Rng | null = null;
  /** A resumed fit's stream position, applied when the stream is made. */
  let savedRng: number | null = null;
  let validation: {rows: Rows; owned: OwnedTensor[]} | null = null;
  const validationStream =
    options.validationData === undefined || isTensorTuple(options.validationData) ? null : (options.validationData as Dataset);

  /** After the first batch built the model: the tensor validation data, then the seeded stream. */
  const prepare = async () => {
    if (rng) return;
    if (options.validationData !== undefined && isTensorTuple(options.validationData)) {
      const [xVal, yVal, wVal] = options.validationData;
      const data = await prepareData(model, compiled.losses, xVal, yVal, {split: 0, sampleWeight: wVal});
      validation = {rows: data.train, owned: data.owned};
    }
    rng = createRng(nextSeed());
    if (savedRng !== null) rng.setState(savedRng);
  };

  /** Keras' epoch iterator: a new pass every epoch without batchesPerEpoch, or once a pass of known size is used up. */
  const newPass = () =>
    reader === null ||
    typeof dataset === 'function' ||
    batchesPerEpoch === null ||
    (cardinality !== null && cardinality !== Infinity && reader.read >= cardinality);

  return {
    stepsPerEpoch: batchesPerEpoch ?? cardinality!,
    stopsWhenDry: batchesPerEpoch !== null,
    rng: () => rng!,
    async beginEpoch() {
      if (!newPass()) return;
      const old = reader;
      reader = null;
      await old?.close();
      reader = new BatchReader(dataset);
    },
    async next(step): Promise<SourcedBatch | null> {
      const value = await reader!.next();
      if (value === null) return null;
      const raw = takeBatch(value, step, loop.keepBatches);
      const dropRaw = () => {
        if (!loop.keepBatches) tf.dispose([raw.x, raw.y, raw.w] as tf.TensorContainer);
      };
      let converted: Awaited<ReturnType<typeof streamRows>>;
      try {
        converted = await streamRows(model, compiled, raw, `fitDataset batch ${step}`, options.classWeight);
        await prepare();
      } catch (error) {
        dropRaw();
        throw error;
      }
      const {rows, owned} = converted;
      return {
        batch: {x: rows.x, y: rows.y, w: rows.w, indices: null, start: 0, size: rows.count},
        release: () => {
          for (const t of owned) release(t);
          dropRaw();
        },
      };
    },
    endEpoch() {},
    saveState(midEpoch) {
      if (midEpoch) {
        throw new StateError(
          'fitDataset can resume only at the start of an epoch (a dataset cannot be rewound to a batch); save at epoch ends.',
        );
      }
      return {rng: rng === null ? null : rng.state()};
    },
    loadState(state) {
      const saved = (state as {rng?: unknown} | null)?.rng;
      if (saved !== null && (typeof saved !== 'number' || !Number.isInteger(saved))) {
        throw new StateError(`fitDataset: the saved data state must be {rng} from a fitDataset; got ${describe(state)}.`);
      }
      savedRng = saved;
      if (rng !== null && saved !== null) rng.setState(saved);
    },
    noBatches: (epoch) =>
      new ConfigError(`fitDataset: the dataset yielded no batches in epoch ${epoch}; it must yield at least one per epoch.`),
    validate() {
      const rows = validation?.rows;
      if (rows) return async () => evaluateOnDevice(model, rows, loop.validationBatchSize, compiled, 'val_');
      if (validationStream)
        return () => evaluateDataset(model, compiled, validationStream, loop.validationBatches, loop.keepBatches, 'val_');
      return null;
    },
    async close() {
      for (const t of validation?.owned ?? []) release(t);
      validation = null;
      const open = reader;
      reader = null;
      // Ends a generator left open (runs its `finally`).
      await open?.close();
    },
  };
}
