import {TrellisError, checkBoolean, checkOptions, optionKeys, type Callback, type Json} from '@trellis/core';
import {checkFunction, stateObject} from './monitor';
import {printers, pythonFloat, type Print} from './output';

/** Options of {@link terminateOnNaN}. */
export type TerminateOnNaNOptions = {
  /** Throw instead of stopping (Keras' `raise_error`); default false. */
  readonly raiseError?: boolean;
  /** Receives the message; default `console.log`. */
  readonly print?: Print;
};

/** The JSON config of `trellis/terminateOnNaN`: the options without `print`. */
export type TerminateOnNaNConfig = Omit<TerminateOnNaNOptions, 'print'>;

const KEYS = optionKeys<TerminateOnNaNOptions>({raiseError: true, print: true});
const WHO = 'terminateOnNaN';

/**
 * Stops training at the first batch whose loss is NaN or infinite: Keras'
 * `TerminateOnNaN`. It prints `Batch <n>: Invalid loss, terminating
 * training` and calls `context.stop()`, so the fit ends after that batch (the
 * epoch's logs and `onEpochEnd` still come). With `raiseError` it throws
 * instead, which fails the fit.
 *
 * It reads the batch loss (`batch_loss`) back after every batch: one small
 * readback per step, which is what this callback is for. Keras looks at the
 * running mean `loss`, which turns NaN or infinite at the same batch.
 * No state (`saveState()` is `{}`).
 *
 * @throws ConfigError for an unknown option; during the fit with
 *   `raiseError`, a `TrellisError` naming the batch and the loss.
 */
export function terminateOnNaN(
  options: TerminateOnNaNOptions = {},
): Callback & {readonly spec: {readonly id: 'trellis/terminateOnNaN'; readonly config: TerminateOnNaNConfig}} {
  checkOptions(WHO, options, KEYS);
  const raiseError = checkBoolean(WHO, 'raiseError', options.raiseError ?? false);
  const {info} = printers(checkFunction<Print>(WHO, 'print', options.print, '(message: string) => void'));
  return {
    name: WHO,
    spec: {id: 'trellis/terminateOnNaN', config: {raiseError}},
    async onBatchEnd(context) {
      const logs = await context.readLogs(['batch_loss', 'loss']);
      const loss = logs.batch_loss ?? logs.loss;
      if (loss === undefined || Number.isFinite(loss)) return;
      if (raiseError) {
        throw new TrellisError(
          `NaN or Inf loss encountered at batch ${context.batch} of epoch ${context.epoch + 1}. Loss value: ${pythonFloat(loss)}. ` +
            'Terminating training immediately; try a lower learning rate, clipNorm, or check the data for NaN.',
        );
      }
      info(`Batch ${context.batch}: Invalid loss, terminating training`);
      context.stop(`terminateOnNaN: the loss was ${pythonFloat(loss)} at batch ${context.batch} of epoch ${context.epoch + 1}`);
    },
    saveState(): Json {
      return {};
    },
    loadState(state: Json) {
      stateObject(WHO, state, []);
    },
  };
}
