export {cpu} from './cpu';
export type {CpuOptions} from './cpu';
