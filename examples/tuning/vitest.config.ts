import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-tuning', {testTimeout: 180_000});
