export {catchError, catchErrorAsync} from './errors';
export {countTensorsAcross, expectNoNewTensors, expectNoTensorLeaks} from './leaks';
export type {ExpectNoTensorLeaksOptions, TensorCounts} from './leaks';
export {randomGenerator, randomValues} from './random';
export {callContext, createBuildContext} from './layer-contexts';
export type {TestBuildContext} from './layer-contexts';
export {describeOptimizer} from './describe-optimizer';
export type {BadOptimizerConfigs, OptimizerCases, OptimizerFactory} from './describe-optimizer';
export {expectUnknownOptionRefused, misspell} from './unknown-options';
