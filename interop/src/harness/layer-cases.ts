/**
 * Layers against their Keras counterparts: for each case, seeded random
 * inputs, weights and output cotangent; Keras computes the output and the
 * gradients of the input and of every weight (`layer` kind), and each backend
 * must match within the tolerance.
 * @module
 */
import {createBuildContext} from '@trellis/testing';
import {type Layer} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, uniformTensor} from './cases';
import {worstErrors} from './compare';
import {kerasLayer} from './keras-config';
import {runKeras, type KerasCase} from './keras';
import {expectLayerMatchesKeras} from './layer-check';
import type {HostTensor, TreeOut} from './tensor-tree';

/** One layer on one input shape: `make` returns a fresh, unbuilt layer. */
export type LayerCase = {
  readonly make: () => Layer;
  /** Without the batch dimension. */
  readonly inputShape: readonly number[];
  readonly batch: number;
};

type Inputs = {x: HostTensor; dy: HostTensor; weights: Record<string, HostTensor>};

/** Seeded inputs: weight shapes and the output shape come from building the layer once. */
function makeInputs(testCase: LayerCase, seed: number): Inputs {
  const context = createBuildContext('probe');
  try {
    const outputShape = testCase.make().build([...testCase.inputShape], context);
    const weights: Record<string, HostTensor> = {};
    context.requests.forEach((request, i) => {
      weights[request.name] = uniformTensor(request.shape, seed + 10 + i, -0.8, 0.8);
    });
    return {
      x: uniformTensor([testCase.batch, ...testCase.inputShape], seed + 1, -2, 2),
      dy: uniformTensor([testCase.batch, ...outputShape], seed + 2, -1, 1),
      weights,
    };
  } finally {
    context.dispose();
  }
}

/**
 * Declares, for every backend, one test per case comparing the output, the
 * input gradient and each weight's gradient with Keras' within `tolerance`.
 * `batch` names the folder of the Keras run.
 */
export function describeLayerCases(batch: string, cases: Readonly<Record<string, LayerCase>>, tolerance: number): void {
  const inputs: Record<string, Inputs> = {};
  let keras: Record<string, TreeOut>;
  beforeAll(async () => {
    // Building a layer to learn its weight shapes needs a backend.
    await activate('cpu');
    Object.entries(cases).forEach(([name, testCase], i) => {
      inputs[name] = makeInputs(testCase, 1000 * (i + 1));
    });
    const kerasCases: Record<string, KerasCase> = {};
    for (const [name, testCase] of Object.entries(cases)) {
      const {x, dy, weights} = inputs[name]!;
      kerasCases[name] = {
        kind: 'layer',
        layer: kerasLayer(testCase.make()),
        inputShape: [...testCase.inputShape],
        weights,
        x,
        dy,
        training: false,
      };
    }
    keras = await runKeras(batch, kerasCases);
  });

  describe.each(BACKENDS)(`${batch} on %s vs Keras`, (backend) => {
    beforeAll(() => activate(backend));
    afterAll(() => console.log(`${batch} ${backend}: ${worstErrors()}`));

    it.each(Object.keys(cases))(`%s: output and gradients within ${tolerance}`, async (name) => {
      const testCase = cases[name]!;
      const layer = testCase.make();
      await expectLayerMatchesKeras({name, layer, inputShape: testCase.inputShape, ...inputs[name]!, keras: keras[name], tolerance});
    });
  });
}
