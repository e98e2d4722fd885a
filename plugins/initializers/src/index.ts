export {computeFans} from './fans';
export {glorotUniform} from './glorot-uniform';
export type {GlorotUniformConfig} from './glorot-uniform';
export {initializersPlugin} from './plugin';
export {zeros} from './zeros';
export type {ZerosConfig} from './zeros';
