/**
 * Suites that need something optional on the machine (a native addon, a GPU
 * adapter, a browser): skipped with the reason under plain `pnpm test`, failing
 * under the command that promises it (`pnpm test:native`, `pnpm test:webgpu`).
 * @module
 */
import {describe, it} from 'vitest';

/** Something a suite needs that a machine may lack. */
export type Capability = {
  /** What is needed, for messages: `"@tensorflow/tfjs-node's native addon"`. */
  readonly what: string;
  /** `true` when it is here; otherwise the reason it is not. */
  readonly available: true | string;
  /** A missing capability fails the suite instead of skipping it (set by the command that promises it). */
  readonly required: boolean;
  /** How to get it: `"build it with scripts/install-native.sh"`. */
  readonly how: string;
};

/**
 * `describe(name, body)` when the capability is available. Otherwise, when it
 * is required, one failing test that says what is missing, why and how to get
 * it; when it is not required, the suite is skipped with the same words
 * printed once.
 */
export function describeWith(capability: Capability, name: string, body: () => void): void {
  const {what, available, required, how} = capability;
  if (available === true) {
    describe(name, body);
    return;
  }
  const message = `${what} is not usable here (${available}); ${how}.`;
  if (required) {
    describe(name, () => {
      it(`needs ${what}`, () => {
        throw new Error(`${message} This command requires it.`);
      });
    });
  } else {
    console.warn(`skipping "${name}": ${message}`);
    describe.skip(`${name} (skipped: ${what} is not usable here)`, body);
  }
}

/** What {@link nativeAddon} reads of `@trellis/backend-node`'s `diagnose()` report. */
export type NativeDiagnosis = {
  readonly usable: string | null;
  readonly problems: readonly string[];
};

/**
 * The native backend as a {@link Capability}, from `@trellis/backend-node`'s
 * `diagnose()` (which loads the addon in a child process): required when
 * `TRELLIS_NATIVE_REQUIRED=1` (`pnpm test:native`).
 *
 * @example
 * describeWith(nativeAddon(await diagnose()), 'on tensorflow', () => { ... });
 */
export function nativeAddon(diagnosis: NativeDiagnosis): Capability {
  return {
    what: "@tensorflow/tfjs-node's native addon",
    available: diagnosis.usable !== null || diagnosis.problems.join(' ') || 'it does not load',
    required: process.env.TRELLIS_NATIVE_REQUIRED === '1',
    how: 'build it with `npx -y pnpm@10.34.9 install:native` (scripts/install-native.sh)',
  };
}
