import {trellisProject} from '../../vitest.shared.ts';

export default trellisProject('@acme/trellis-optimizer-adabelief');
