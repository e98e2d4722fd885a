export {CUDA_LIBRARIES} from './cuda';
export type {CudaLibrary, CudaReport} from './cuda';
export {diagnose} from './diagnose';
export type {DiagnoseOptions, NodeDiagnosis, PackageDiagnosis} from './diagnose';
export type {NodePackageName} from './locate';
export {nodeBackend} from './node-backend';
export type {NodeBackendOptions, NodeBackendPlugin, NodeBackendSelection} from './node-backend';
export type {AddonProbe} from './probe';
