import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-transfer-learning', {testTimeout: 600_000});
