export {parseIdx} from './idx';
export type {IdxExpectation, IdxImages, IdxKind, IdxLabels} from './idx';
export {fashionMnistClasses, loadFashionMnist} from './load-fashion-mnist';
export type {LoadFashionMnistOptions} from './load-fashion-mnist';
export type {ImageData, ImageDatasetOptions, ImageSplit, ImageXY} from './image-dataset';
export {loadMnist} from './load-mnist';
export type {LoadMnistOptions, MnistData, MnistSplit, MnistXY} from './load-mnist';
export {trainValidationSplit} from './train-validation-split';
export type {TrainValidation, XY} from './train-validation-split';
