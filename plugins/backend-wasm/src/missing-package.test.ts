// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {describeWithoutPeerPackage} from '@trellis/testing';
import {vi} from 'vitest';
import {wasm} from './index';

// Simulates an install without the peer package.
vi.mock('@tensorflow/tfjs-backend-wasm', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-wasm'");
});

describeWithoutPeerPackage('wasm', wasm, '@tensorflow/tfjs-backend-wasm');
