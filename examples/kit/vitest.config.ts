import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@trellis/example-kit');
