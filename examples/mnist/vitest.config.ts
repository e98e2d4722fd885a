import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-mnist', {testTimeout: 180_000});
