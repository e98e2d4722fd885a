export {cpu, type CpuOptions} from './cpu';
