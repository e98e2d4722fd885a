export {hasTrellisKernels, restoreStockKernels, trellisKernelNames} from './kernel-overrides';
export {describeAdapter, webgpu} from './webgpu';
export type {WebGpuOptions} from './webgpu';
