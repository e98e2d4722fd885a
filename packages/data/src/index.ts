export {parseIdx, type IdxExpectation, type IdxImages, type IdxKind, type IdxLabels} from './idx';
export {fashionMnistClasses, loadFashionMnist, type LoadFashionMnistOptions} from './load-fashion-mnist';
export type {ImageData, ImageDatasetOptions, ImageSplit, ImageXY} from './image-dataset';
export {loadMnist, type LoadMnistOptions, type MnistData, type MnistSplit, type MnistXY} from './load-mnist';
export {
  loadCifar10,
  loadCifar100,
  type CifarData,
  type CifarOptions,
  type CifarXY,
  type LoadCifar10Options,
  type LoadCifar100Options,
} from './load-cifar';
export {trainValidationSplit, type TrainValidation, type XY} from './train-validation-split';
export {balancedBatches, type BalancedBatchesOptions, type EndlessDataset} from './balanced-batches';
export {classWeightsFrom, type ClassWeights} from './class-weights';
export {fromTensors, type FromTensorsOptions, type ReiterableDataset, type TensorBatch} from './from-tensors';
export type {Augmentation} from './augment';
export {data} from './namespace';
