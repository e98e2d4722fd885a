export {diagnose} from './diagnose';
export type {WebGpuAdapterReport, WebGpuDiagnoseOptions, WebGpuDiagnosis, WebGpuPackageReport} from './diagnose';
export {hasTrellisKernels, restoreStockKernels, trellisKernelNames} from './kernel-overrides';
export {describeAdapter, webgpu} from './webgpu';
export type {WebGpuOptions} from './webgpu';
