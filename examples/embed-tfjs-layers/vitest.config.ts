import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-embed-tfjs-layers', {testTimeout: 180_000});
