// Initializer, regularizer and constraint options given as ids (here initializers) (Keras'
// `kernel_initializer='he_normal'`) resolve through the default registry.
import {UnknownIdError, defaultRegistry} from '@trellis/core';
import {initializersPlugin} from '@trellis/initializers';
import {beforeAll, describe, expect, it} from 'vitest';
import {batchNormalization} from './layers/batch-normalization';
import {dense} from './layers/dense';
import {embedding} from './layers/embedding';

beforeAll(() => {
  defaultRegistry().use(initializersPlugin);
});

describe('ids in layer options', () => {
  it("resolve through defaultRegistry(), in Trellis' or Keras' spelling, to the canonical spec", () => {
    const layer = dense({units: 2, kernelInitializer: 'he_normal', biasInitializer: 'Zeros'});
    const config = layer.spec.config as unknown as Record<string, {id: string} | null>;
    expect(config.kernelInitializer!.id).toBe('trellis/heNormal');
    expect(config.biasInitializer!.id).toBe('trellis/zeros');
    expect(dense({units: 2, kernelInitializer: 'heNormal'}).spec).toEqual(dense({units: 2, kernelInitializer: 'he_normal'}).spec);
    const norm = batchNormalization({gammaInitializer: 'Ones'}).spec.config as unknown as Record<string, {id: string}>;
    expect(norm.gammaInitializer!.id).toBe('trellis/ones');
    const emb = embedding({inputDim: 4, outputDim: 2, embeddingsInitializer: 'random_uniform'}).spec.config as unknown as Record<
      string,
      {id: string}
    >;
    expect(emb.embeddingsInitializer!.id).toBe('trellis/randomUniform');
  });

  it('an unknown id is an UnknownIdError naming the close matches', () => {
    expect(() => dense({units: 2, kernelInitializer: 'he_normall'})).toThrow(UnknownIdError);
    expect(() => dense({units: 2, kernelInitializer: 'he_normall'})).toThrow(/did you mean 'trellis\/he_normal'/);
  });
});
