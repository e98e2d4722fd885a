export {CUDA_LIBRARIES, type CudaLibrary, type CudaReport} from './cuda';
export {diagnose, type DiagnoseOptions, type NodeDiagnosis, type PackageDiagnosis} from './diagnose';
export type {NodePackageName} from './locate';
export {nodeBackend, type NodeBackendOptions, type NodeBackendPlugin, type NodeBackendSelection} from './node-backend';
export type {AddonProbe} from './probe';
