/**
 * The call context of the model forward pass that is running, so layers
 * called inside a subclassed model's `call` without a context
 * (`this.dense.apply(x)`) get the model's (internal).
 * @module
 */
import type {CallContext} from '../spec/layer';

let current: CallContext | null = null;

/** The context of the innermost model `call` running, or null outside any. */
export function ambientContext(): CallContext | null {
  return current;
}

/** Runs `body` with `context` as the ambient context, restoring the previous one after (also when it throws). */
export function withAmbientContext<T>(context: CallContext, body: () => T): T {
  const previous = current;
  current = context;
  try {
    return body();
  } finally {
    current = previous;
  }
}
