/**
 * What the charts draw from: plain JSON events a fit produces (`logFeed`) and
 * a page hands to the charts (`push`), in the same thread or across
 * `postMessage`.
 * @module
 */
import {ConfigError, describe} from '@trellis/core';

/** The statistics of one layer in a {@link GradientNormRecord}. */
export type GradientNormLayer = {
  /** The layer's name (`dense_1`). */
  readonly layer: string;
  /** L2 norm of the gradients of the layer's trainable weights. */
  readonly gradNorm: number;
  /** The gradients' root mean square. */
  readonly gradRms?: number;
  /** L2 norm of the layer's trainable weights. */
  readonly weightNorm?: number;
  /** `‖Δw‖ / ‖w‖` of the step's update. */
  readonly updateRatio?: number;
};

/**
 * One inspected optimizer step, per layer: the shape of `@trellis/callbacks`'
 * `gradientMonitor().records` entries (which fit as they are), or built by
 * hand.
 */
export type GradientNormRecord = {
  /** The optimizer step within the fit, from 0. */
  readonly step: number;
  readonly epoch?: number;
  /** One entry per layer, first layer first. */
  readonly layers: readonly GradientNormLayer[];
};

/** A fit's logs: numbers by key (`loss`, `val_accuracy`). */
export type PlotLogs = Readonly<Record<string, number>>;

/**
 * What a fit tells the charts, as plain JSON (so `postMessage` copies it as
 * is). `epoch` and `batch` count from 0, as in `FitContext`.
 */
export type PlotEvent =
  | {readonly kind: 'fitStart'; readonly epochs: number; readonly initialEpoch: number; readonly stepsPerEpoch: number}
  | {
      readonly kind: 'batchEnd';
      readonly epoch: number;
      readonly batch: number;
      readonly stepsPerEpoch: number;
      /** The epoch's running means so far. */
      readonly logs: PlotLogs;
    }
  | {
      readonly kind: 'epochEnd';
      readonly epoch: number;
      /** The epoch's logs, `val_` keys included. */
      readonly logs: PlotLogs;
    }
  | {readonly kind: 'gradients'; readonly records: readonly GradientNormRecord[]}
  | {readonly kind: 'fitEnd'};

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLogs = (v: unknown): boolean => isObject(v) && Object.values(v).every((x) => typeof x === 'number');
const isStepCount = (v: unknown): boolean => typeof v === 'number' && (isCount(v) || v === Number.POSITIVE_INFINITY);
const isRecord = (v: unknown): boolean =>
  isObject(v) &&
  isCount(v.step) &&
  Array.isArray(v.layers) &&
  v.layers.every((l: unknown) => isObject(l) && typeof l.layer === 'string' && typeof l.gradNorm === 'number');

/**
 * Whether `value` is a {@link PlotEvent}, its fields included: for a page
 * that receives other messages too.
 *
 * @example
 * worker.onmessage = ({data}) => { if (isPlotEvent(data)) chart.push(data); };
 */
export function isPlotEvent(value: unknown): value is PlotEvent {
  if (!isObject(value)) return false;
  switch (value.kind) {
    case 'fitStart':
      return isCount(value.epochs) && isCount(value.initialEpoch) && isStepCount(value.stepsPerEpoch);
    case 'batchEnd':
      return isCount(value.epoch) && isCount(value.batch) && isStepCount(value.stepsPerEpoch) && isLogs(value.logs);
    case 'epochEnd':
      return isCount(value.epoch) && isLogs(value.logs);
    case 'gradients':
      return Array.isArray(value.records) && value.records.every(isRecord);
    case 'fitEnd':
      return true;
    default:
      return false;
  }
}

/** Throws a `ConfigError` unless `event` is a {@link PlotEvent}. @internal */
export function checkPlotEvent(who: string, event: unknown): PlotEvent {
  if (isPlotEvent(event)) return event;
  throw new ConfigError(
    `${who}.push expects a PlotEvent such as {kind: 'epochEnd', epoch: 0, logs: {loss: 0.5}} ` +
      `(kinds: fitStart, batchEnd, epochEnd, gradients, fitEnd; epochs and batches are integers from 0, logs numbers by key); ` +
      `got ${describe(event)}. Send what logFeed produces, or test messages with isPlotEvent first.`,
  );
}
