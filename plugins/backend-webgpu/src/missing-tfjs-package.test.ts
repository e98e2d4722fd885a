// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {describeWithoutPeerPackage} from '@trellis/testing';
import {afterEach, beforeEach, vi} from 'vitest';
import {restoreNavigator, standInGpu} from '../test/stand-in-navigator';
import {webgpu} from './index';

// Simulates an install without the peer package.
vi.mock('@tensorflow/tfjs-backend-webgpu', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-webgpu'");
});

// An adapter is there (a stand-in): only the tfjs package is missing.
beforeEach(() => standInGpu({requestAdapter: async () => ({info: {vendor: 'test', device: 'gpu'}})}));
afterEach(restoreNavigator);

describeWithoutPeerPackage('webgpu', webgpu, '@tensorflow/tfjs-backend-webgpu');
