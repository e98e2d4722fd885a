// The native tests run where @tensorflow/tfjs-node's addon loads (as this
// plugin's diagnose() finds it); `pnpm install` does not build it
// (scripts/install-native.sh does). Plain `pnpm test` skips them, saying so;
// `pnpm test:native` (TRELLIS_NATIVE_REQUIRED=1) fails instead.
import {describeWith, nativeAddon} from '@trellis/testing';
import {diagnose} from '../src/diagnose';

const native = nativeAddon(await diagnose());

/** `describe` for tests that load the native addon. */
export function describeNative(name: string, body: () => void): void {
  describeWith(native, name, body);
}
