import {trellisProject} from '../vitest.shared';

export default trellisProject('@trellis/benchmarks');
