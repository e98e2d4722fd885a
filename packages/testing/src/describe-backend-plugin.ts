/**
 * The suites every backend plugin passes: its contract, idempotent
 * registration, and the errors of a failed registration or a missing peer
 * package.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, checkOptions, useBackend, type BackendCapabilities, type BackendPlugin} from '@trellis/core';
import {afterEach, describe, expect, it, vi} from 'vitest';

/** What {@link describeBackendPlugin} checks. */
export type BackendPluginCases = {
  /** The capabilities the plugin declares (`{training: true, threads: 1, syncReadback: true}`). */
  readonly capabilities: BackendCapabilities;
  /** Checks run right after the first `register()` of the file (wasm: `expect(hasTrellisKernels()).toBe(true)`). */
  readonly afterFirstRegister?: () => void;
  /**
   * Whether `register()` can run in this file, for the registration checks.
   * Default true; false where registering needs what the machine may lack (a GPU).
   */
  readonly registers?: boolean;
};

const CASE_KEYS = ['capabilities', 'afterFirstRegister', 'registers'] as const;

/** The active tfjs backend's name, or `null`, without initializing one as `tf.getBackend()` would. */
function activeBackendName(): string | null {
  return (tf.engine() as unknown as {backendName: string | null | undefined}).backendName ?? null;
}

/**
 * Registers the vitest suite `name()` for the backend plugin `make()` makes
 * (`name` is the tfjs backend it registers): the plugin declares contract
 * version 1, `name` and `cases.capabilities`; unless `cases.registers` is
 * false, its first `register()` loads the tfjs backend without activating
 * one (run this suite before any other test registers it) and registering
 * again (the same plugin or a new one) changes no kernel and prints no
 * "already registered" warning; `more` declares the package's own tests in
 * the same suite; last, `useBackend` turns a plugin named `name` whose
 * `register()` rejects with "Cannot find package" into a `BackendError` and
 * leaves the active backend as it was. An unknown key in `cases` throws a
 * `ConfigError`.
 *
 * @example
 * describeBackendPlugin('cpu', cpu, {capabilities: {training: true, threads: 1, syncReadback: true}}, () => {
 *   it('computes a product', async () => { … });
 * });
 */
export function describeBackendPlugin(name: string, make: () => BackendPlugin, cases: BackendPluginCases, more?: () => void): void {
  checkOptions('describeBackendPlugin', cases, CASE_KEYS);
  describe(`${name}()`, () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('describes itself with contract version 1 and its capabilities', () => {
      const plugin = make();
      expect(plugin.specVersion).toBe(1);
      expect(plugin.name).toBe(name);
      expect(plugin.capabilities).toEqual(cases.capabilities);
    });

    if (cases.registers !== false) {
      it(`register() loads the tfjs ${name} backend without choosing it`, async () => {
        expect(activeBackendName()).toBeNull();
        expect(tf.findBackendFactory(name)).toBeNull();
        await make().register();
        expect(tf.findBackendFactory(name)).not.toBeNull();
        cases.afterFirstRegister?.();
        // Registering must not activate a backend: that is useBackend's job.
        expect(activeBackendName()).toBeNull();
      });

      it('register() is idempotent: same kernels, no "already registered" warnings', async () => {
        const warn = vi.spyOn(console, 'warn');
        const plugin = make();
        await plugin.register();
        const kernels = tf.getKernelsForBackend(name).map((config) => config.kernelFunc);
        await plugin.register();
        await make().register();
        const after = tf.getKernelsForBackend(name).map((config) => config.kernelFunc);
        expect(after).toHaveLength(kernels.length);
        for (const [i, kernelFunc] of after.entries()) expect(kernelFunc).toBe(kernels[i]);
        expect(warn).not.toHaveBeenCalled();
      });
    }

    more?.();

    it('useBackend turns a failing register() into a BackendError', async () => {
      const active = activeBackendName();
      const broken: BackendPlugin = {
        specVersion: 1,
        name,
        capabilities: cases.capabilities,
        register: () => Promise.reject(new Error(`Cannot find package '@tensorflow/tfjs-backend-${name}'`)),
      };
      const error = await useBackend(broken).catch((e: unknown) => e);
      expect(BackendError.is(error)).toBe(true);
      expect((error as Error).message).toMatch(/could not be registered.*Cannot find package/s);
      expect(activeBackendName()).toBe(active);
    });
  });
}

/**
 * Registers the vitest suite `name() without <peerPackage>` for a test file
 * that mocks the plugin's peer package away (`vi.mock(peerPackage, () => {
 * throw … })`, in the file itself: vitest hoists it per file): `register()`
 * and `useBackend(make())` reject with a `BackendError`, the first saying
 * `npm install <peerPackage>@^4.22.0`.
 *
 * @example
 * vi.mock('@tensorflow/tfjs-backend-cpu', () => {
 *   throw new Error("Cannot find package '@tensorflow/tfjs-backend-cpu'");
 * });
 * describeWithoutPeerPackage('cpu', cpu, '@tensorflow/tfjs-backend-cpu');
 */
export function describeWithoutPeerPackage(name: string, make: () => BackendPlugin, peerPackage: string): void {
  describe(`${name}() without ${peerPackage}`, () => {
    it('register() rejects with a BackendError that says what to install', async () => {
      const error = await make()
        .register()
        .catch((e: unknown) => e);
      expect(BackendError.is(error)).toBe(true);
      expect((error as Error).message).toContain(`npm install ${peerPackage}@^4.22.0`);
    });

    it(`useBackend(${name}()) rejects with a BackendError`, async () => {
      const error = await useBackend(make()).catch((e: unknown) => e);
      expect(BackendError.is(error)).toBe(true);
    });
  });
}
