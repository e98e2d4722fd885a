export {countTensorsAcross, expectNoNewTensors, expectNoTensorLeaks} from './leaks';
export type {TensorCounts} from './leaks';
