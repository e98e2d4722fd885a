import {libraryConfig} from '../../tsup.shared';

// @tensorflow/tfjs-node-gpu is an optional peer listed in peerDependenciesMeta only (so that pnpm does
// not install it here), which tsup does not treat as external by itself.
export default libraryConfig({external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']});
