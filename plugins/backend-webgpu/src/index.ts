export {diagnose, type WebGpuAdapterReport, type WebGpuDiagnoseOptions, type WebGpuDiagnosis, type WebGpuPackageReport} from './diagnose';
export {hasTrellisKernels, restoreStockKernels, trellisKernelNames} from './kernel-overrides';
export {describeAdapter, webgpu, type WebGpuOptions} from './webgpu';
