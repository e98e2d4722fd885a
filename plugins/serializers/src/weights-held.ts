/**
 * The weight budget of a model built from a file's architecture: no more
 * weight elements than the file holds.
 * @module
 */
import {FormatError, withWeightBudget, type AnyModel, type WeightBudget} from '@trellis/core';

/**
 * A budget for building the model stored in `file`, which holds `elements`
 * weight elements: twice that plus 2^20 (a safety net against absurd sizes;
 * an architecture that differs from its weights by less gets the precise
 * error of the weight check that follows). A layer asking for more throws a
 * `FormatError` naming the file and the weight, before anything is allocated.
 */
function weightsHeldBy(file: string, elements: number): WeightBudget {
  return {
    elements: 2 * elements + 2 ** 20,
    exceeded: (weight, shape, total) =>
      new FormatError(
        `${file}: the architecture declares weight '${weight}' of shape [${shape.join(', ')}], bringing the model to ${total} weight elements; ` +
          `the file holds ${elements}. The file is corrupt or its architecture does not match its weights.`,
      ),
  };
}

/**
 * Makes the model `make` returns and builds it (creating its weights) within
 * the budget of a file holding `elements` weight elements; a model that fails to build is disposed.
 * @returns the built model, owned by the caller
 */
export function buildWithinFile<M extends AnyModel>(file: string, elements: number, make: () => M): M {
  return withWeightBudget(weightsHeldBy(file, elements), () => {
    const model = make();
    try {
      void model.weights;
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  });
}
