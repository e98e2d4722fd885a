/**
 * The backend the worker trains on. The wasm binaries are assets of the
 * page (Vite copies them from `@tensorflow/tfjs-backend-wasm` and gives
 * their hashed URLs), so the backend loads them from the page's own origin.
 */
import {useBackend} from '@trellis/core';
import {cpu} from '@trellis/backend-cpu';
import {wasm} from '@trellis/backend-wasm';
import {webgpu} from '@trellis/backend-webgpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type {BackendName} from './protocol';

const absolute = (url: string) => new URL(url, self.location.href).href;

/** Makes `name` the active tfjs backend (registering it the first time); resolves to its name. */
export function selectBackend(name: BackendName): Promise<string> {
  switch (name) {
    case 'wasm':
      return useBackend(
        wasm({
          wasmPaths: {
            'tfjs-backend-wasm.wasm': absolute(wasmPlain),
            'tfjs-backend-wasm-simd.wasm': absolute(wasmSimd),
            'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreadedSimd),
          },
        }),
      );
    case 'webgpu':
      return useBackend(webgpu());
    case 'cpu':
      return useBackend(cpu());
  }
}
