import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-optimizer-comparison', {testTimeout: 180_000});
