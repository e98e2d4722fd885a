/**
 * A stand-in `navigator.gpu` for the tests that run without a GPU, and
 * putting the real `navigator` (or none) back afterwards.
 */

const scope = globalThis as {navigator?: unknown};
const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

/** Puts a stand-in `navigator` whose `gpu` is `gpu`. */
export function standInGpu(gpu: {requestAdapter(options?: unknown): Promise<unknown>}): void {
  Object.defineProperty(globalThis, 'navigator', {value: {gpu}, configurable: true, writable: true});
}

/** Puts back the `navigator` there was when this module was loaded (or none). */
export function restoreNavigator(): void {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete scope.navigator;
}
