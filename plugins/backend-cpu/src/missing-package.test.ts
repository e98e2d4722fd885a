// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {describeWithoutPeerPackage} from '@trellis/testing';
import {vi} from 'vitest';
import {cpu} from './index';

// Simulates an install without the peer package.
vi.mock('@tensorflow/tfjs-backend-cpu', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-cpu'");
});

describeWithoutPeerPackage('cpu', cpu, '@tensorflow/tfjs-backend-cpu');
