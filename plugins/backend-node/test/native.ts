// Whether the native tests run: they need @tensorflow/tfjs-node's addon, which
// `pnpm install` does not build (scripts/install-native.sh does). Plain
// `pnpm test` skips them, saying so, when the addon is missing; `pnpm
// test:native` (TRELLIS_NATIVE_REQUIRED=1) fails instead.
import {execFileSync} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'vitest';

const pluginDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The addon loads (tried in a child process, as the plugin's diagnose() does). */
function addonLoads(): boolean {
  try {
    execFileSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], {
      cwd: pluginDir,
      stdio: 'ignore',
      env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '2'},
      timeout: 120_000,
    });
    return true;
  } catch {
    return false;
  }
}

export const nativeAvailable = addonLoads();
const nativeRequired = process.env.TRELLIS_NATIVE_REQUIRED === '1';
const HOW = 'build it with `npx -y pnpm@10.34.9 install:native` (scripts/install-native.sh)';

/** `describe` for tests that load the native addon: skipped with a reason when it is not built, failing under test:native. */
export function describeNative(name: string, body: () => void): void {
  if (nativeAvailable) {
    describe(name, body);
  } else if (nativeRequired) {
    describe(name, () => {
      it('needs the native addon of @tensorflow/tfjs-node', () => {
        throw new Error(`@tensorflow/tfjs-node's native addon does not load, and pnpm test:native requires it: ${HOW}.`);
      });
    });
  } else {
    console.warn(`[@trellis/backend-node] skipping "${name}": @tensorflow/tfjs-node's native addon is not built; ${HOW}.`);
    describe.skip(`${name} (skipped: the native addon is not built)`, body);
  }
}
