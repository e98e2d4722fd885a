export {parseIdx} from './idx';
export type {IdxExpectation, IdxImages, IdxKind, IdxLabels} from './idx';
export {loadMnist} from './load-mnist';
export type {LoadMnistOptions, MnistData, MnistSplit, MnistXY} from './load-mnist';
export {trainValidationSplit} from './train-validation-split';
export type {TrainValidation, XY} from './train-validation-split';
