import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-imbalanced', {testTimeout: 600_000});
