export {hasTrellisKernels, restoreStockKernels} from './kernel-overrides';
export {wasm} from './wasm';
export type {WasmBinaryName, WasmOptions} from './wasm';
