export {hasTrellisKernels, restoreStockKernels} from './kernel-overrides';
export {wasm, type WasmBinaryName, type WasmOptions} from './wasm';
