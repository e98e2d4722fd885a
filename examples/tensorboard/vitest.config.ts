import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-tensorboard', {testTimeout: 180_000});
