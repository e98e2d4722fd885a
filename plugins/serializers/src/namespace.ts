// The Keras-style namespace (`keras.saving`): the save and load functions under their plain names,
// the very functions the flat exports name (nothing is redefined).

import {loadModel, loadWeights, saveModel, saveWeights} from './save-load';

/** Saving and loading under their plain names: `saving.saveModel(model, 'file://./model')`. */
export const saving = Object.freeze({
  loadModel,
  loadWeights,
  saveModel,
  saveWeights,
} as const);
