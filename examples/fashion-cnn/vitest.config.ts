import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-fashion-cnn', {testTimeout: 300_000});
