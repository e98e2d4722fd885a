// @tensorflow/tfjs-node-gpu is an optional peer dependency that is not installed in this workspace
// (its addon needs CUDA); its exports are read as unknown values.
declare module '@tensorflow/tfjs-node-gpu';
