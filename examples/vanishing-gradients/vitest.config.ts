import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-vanishing-gradients', {testTimeout: 180_000});
