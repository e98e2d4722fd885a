import {mergeConfig} from 'vitest/config';
import {trellisProject} from '../vitest.shared.ts';

// Not part of the root vitest projects: `pnpm test` needs no Python.
// `globalSetup` prepares the virtualenv once per run and provides its python.
export default mergeConfig(trellisProject('@trellis/interop', {testTimeout: 300_000}), {
  test: {globalSetup: ['./src/harness/global-setup.ts'], hookTimeout: 600_000},
});
