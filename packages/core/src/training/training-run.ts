/**
 * One `fit` or `fitDataset` call as its loop sees it (internal).
 * @module
 */
import type {Compiled} from '../model/options';
import type {History} from './history';
import type {LoopModel} from './loop-model';

/** The model, its compiled state and the History one fit loop trains with. @internal */
export interface TrainingRun {
  /** The model being trained. */
  readonly model: LoopModel;
  /** Its optimizer, losses and metrics, as compiled when the call began. */
  readonly compiled: Compiled;
  /** Filled with one entry per finished epoch. */
  readonly history: History;
  /** Called once the options and data are checked, just before the first epoch. */
  readonly began: () => void;
}
