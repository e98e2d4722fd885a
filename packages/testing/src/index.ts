export {catchError, catchErrorAsync} from './errors';
export {countTensorsAcross, expectNoNewTensors, expectNoTensorLeaks} from './leaks';
export type {TensorCounts} from './leaks';
export {randomGenerator, randomValues} from './random';
