/**
 * Loggers: where metrics go (console, TensorBoard, CSV).
 *
 * Contract version 1.
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {Json} from './json';

/** A metrics sink. */
export interface Logger {
  readonly name: string;
  logMetrics(metrics: Readonly<Record<string, number>>, step: number, run?: string): void | Promise<void>;
  logHyperparams?(params: Readonly<Record<string, Json>>, metrics?: Readonly<Record<string, number>>): void | Promise<void>;
  /** `values` is not disposed. */
  logHistogram?(tag: string, values: Tensor, step: number, run?: string): void | Promise<void>;
  flush?(): Promise<void>;
  close?(status?: 'success' | 'failed' | 'aborted'): Promise<void>;
}
