/**
 * Build contexts that the tests of this package do not have to dispose.
 * @module
 */
import {createBuildContext, type TestBuildContext} from '@trellis/testing';
import {afterEach} from 'vitest';

/**
 * Registers an `afterEach` (in the calling test file) that disposes every
 * context made since the last test, and returns the factory of those
 * contexts: `context(name)` is `createBuildContext(name)`, `name` defaulting
 * to `defaultName`.
 */
export function contextsDisposedAfterEach(defaultName: string): (name?: string) => TestBuildContext {
  const contexts: TestBuildContext[] = [];
  afterEach(() => {
    for (const c of contexts.splice(0)) c.dispose();
  });
  return (name = defaultName) => {
    const c = createBuildContext(name);
    contexts.push(c);
    return c;
  };
}
