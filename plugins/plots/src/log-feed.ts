/**
 * `logFeed()`: a fit's logs as {@link PlotEvent}s, for charts in the same
 * thread or, through `postMessage`, in the page of a training Web Worker.
 * @module
 */
import {ConfigError, checkNumber, checkOptions, describe, optionKeys, type Callback, type FitContext} from '@trellis/core';
import type {GradientNormRecord, PlotEvent} from './events';

/** What {@link logFeed} reads gradient records from: `gradientMonitor()` of `@trellis/callbacks`, or any object with `records`. */
export type GradientSource = {
  /** The inspected steps of the current fit, oldest first; new ones are appended. */
  readonly records: readonly GradientNormRecord[];
};

/** Options of {@link logFeed}. */
export type LogFeedOptions = {
  /**
   * Read the logs mid-epoch at most every `batchInterval` ms, for
   * `batchEnd` events (default 1000). `null`: only at epoch ends, so the
   * feed adds no readback to the fit.
   */
  readonly batchInterval?: number | null;
  /** A `gradientMonitor()` in the same fit: its new records are sent as `gradients` events. */
  readonly monitor?: GradientSource;
};

const KEYS = optionKeys<LogFeedOptions>({batchInterval: true, monitor: true});

/** Checks `batchInterval` (null or a number of ms >= 0; default 1000). @internal */
export function checkBatchInterval(who: string, value: unknown): number | null {
  if (value === null) return null;
  return checkNumber(who, 'batchInterval', value ?? 1000, {min: 0, example: 1000});
}

/** Checks that `monitor` has a `records` array. @internal */
export function checkGradientSource(who: string, monitor: unknown): GradientSource {
  const records = (monitor as {records?: unknown} | null | undefined)?.records;
  if (typeof monitor === 'object' && monitor !== null && Array.isArray(records)) return monitor as GradientSource;
  throw new ConfigError(
    `${who}: monitor must be the gradientMonitor() callback of @trellis/callbacks (an object with a records array), ` +
      `put in fit's callbacks too; got ${describe(monitor)}.`,
  );
}

/** A copy of a record with only the fields the charts read (plain JSON, whatever the source object is). */
function plainRecord(record: GradientNormRecord): GradientNormRecord {
  return {
    step: record.step,
    ...(record.epoch === undefined ? {} : {epoch: record.epoch}),
    layers: record.layers.map((l) => ({
      layer: l.layer,
      gradNorm: l.gradNorm,
      ...(l.gradRms === undefined ? {} : {gradRms: l.gradRms}),
      ...(l.weightNorm === undefined ? {} : {weightNorm: l.weightNorm}),
      ...(l.updateRatio === undefined ? {} : {updateRatio: l.updateRatio}),
    })),
  };
}

/**
 * The records `source` gained since the last call. The last record taken is
 * found again by identity, so a source that starts afresh (a new fit clears
 * `gradientMonitor().records`) is read from its start.
 */
export function recordTracker(source: GradientSource): () => GradientNormRecord[] {
  let lastTaken: GradientNormRecord | null = null;
  return () => {
    const records = source.records;
    const from = lastTaken === null ? 0 : records.lastIndexOf(lastTaken) + 1;
    if (from >= records.length) return [];
    lastTaken = records[records.length - 1]!;
    return records.slice(from).map(plainRecord);
  };
}

/**
 * A callback that turns a fit into {@link PlotEvent}s and calls `send` with
 * each: `fitStart`; `batchEnd` with the epoch's running logs, at most every
 * `batchInterval` ms (not after an epoch's last batch, whose `epochEnd`
 * follows); `epochEnd` with the epoch's logs (`val_` keys included);
 * `gradients` with the records `monitor` gained; and `fitEnd`, also when the
 * fit throws. Events are plain JSON: `send` may `postMessage` them as they are.
 *
 * It reads nothing but the fit's logs (`context.readLogs()`: at epoch ends,
 * where the loop has read them already, and at most once per
 * `batchInterval` mid-epoch) and holds no tensor. It runs after the
 * callbacks of default order (`order: 1`), so what they add to an epoch's
 * logs with `setLog` is in its events.
 *
 * @example
 * // in a Web Worker
 * await model.fit(x, y, {epochs: 5, callbacks: [logFeed((event) => postMessage({type: 'plot', event}))]});
 *
 * @throws ConfigError for an unknown option, `send` not a function, a
 *   negative `batchInterval`, or a `monitor` without `records`.
 */
export function logFeed(send: (event: PlotEvent) => void, options: LogFeedOptions = {}): Callback {
  const WHO = 'logFeed';
  checkOptions(WHO, options, KEYS);
  if (typeof send !== 'function') {
    throw new ConfigError(
      `${WHO}: send must be a function (event) => void, such as (event) => postMessage({type: 'plot', event}); got ${describe(send)}.`,
    );
  }
  const batchInterval = checkBatchInterval(WHO, options.batchInterval);
  const newRecords = options.monitor === undefined ? null : recordTracker(checkGradientSource(WHO, options.monitor));
  const sendRecords = () => {
    const records = newRecords?.() ?? [];
    if (records.length > 0) send({kind: 'gradients', records});
  };
  let lastRead = 0;

  const onBatchEnd = async (context: FitContext) => {
    sendRecords();
    if (batchInterval === null) return;
    const steps = context.params.stepsPerEpoch;
    if (!(Number.isFinite(steps) && steps > 0) || context.batch + 1 >= steps) return;
    if (performance.now() - lastRead < batchInterval) return;
    const logs = await context.readLogs();
    lastRead = performance.now();
    send({kind: 'batchEnd', epoch: context.epoch, batch: context.batch, stepsPerEpoch: steps, logs: {...logs}});
  };

  return {
    name: WHO,
    order: 1,
    onFitStart(context) {
      lastRead = performance.now();
      const {epochs, initialEpoch, stepsPerEpoch} = context.params;
      send({kind: 'fitStart', epochs, initialEpoch, stepsPerEpoch});
    },
    ...(batchInterval !== null || newRecords !== null ? {onBatchEnd} : {}),
    async onEpochEnd(context) {
      const logs = await context.readLogs();
      send({kind: 'epochEnd', epoch: context.epoch, logs: {...logs}});
      sendRecords();
    },
    onFitEnd() {
      sendRecords();
      send({kind: 'fitEnd'});
    },
    onError() {
      send({kind: 'fitEnd'});
    },
  };
}
