/**
 * The hand-written reference: a lean tfjs-core training loop for a dense relu
 * classifier, the way an expert would write it without any framework
 * (`tf.variableGrads`, `tf.train.adam().applyGradients`, plain
 * `matMul`/`add`/`relu`, softmax crossentropy on the logits).
 *
 * It computes what the `fit` contenders compute (their last layer is a
 * softmax followed by sparse categorical crossentropy, which is the same loss
 * as softmax crossentropy on the logits up to the 1e-7 probability clip), but
 * without metrics, callbacks or input checks: the floor a framework's `fit`
 * is measured against.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** One dense layer of the loop model: `kernel` `[in, out]`, `bias` `[out]`, float32 variables. */
export type LoopLayer = {readonly kernel: tf.Variable; readonly bias: tf.Variable};

/** The loop model's variables, owned by it (free them with {@link disposeLoopModel}). */
export type LoopModel = {
  readonly layers: readonly LoopLayer[];
  /** Every variable, in layer order (kernel, bias, kernel, bias...). */
  readonly variables: readonly tf.Variable[];
};

/**
 * Creates the loop model `inputs → units[0] → ... → units[last]` (relu between
 * layers, logits out).
 *
 * @param initial - optional starting values, kernel then bias per layer (as
 *   Trellis' `getWeights()` lists them); copied, not disposed. Without it the
 *   kernels are Glorot-uniform from `seed` and the biases zeros, like Keras.
 * @throws Error when `initial` does not match the layer shapes.
 */
export function createLoopModel(
  inputs: number,
  units: readonly number[],
  options: {initial?: readonly tf.Tensor[]; seed?: number} = {},
): LoopModel {
  const layers: LoopLayer[] = [];
  let fanIn = inputs;
  units.forEach((fanOut, i) => {
    const kernelInit = options.initial?.[2 * i];
    const biasInit = options.initial?.[2 * i + 1];
    if (options.initial && (!kernelInit || !biasInit)) {
      throw new Error(`createLoopModel: initial values must list kernel and bias of ${units.length} layers.`);
    }
    const expected: [tf.Tensor | undefined, number[]][] = [
      [kernelInit, [fanIn, fanOut]],
      [biasInit, [fanOut]],
    ];
    for (const [t, shape] of expected) {
      if (t && !tf.util.arraysEqual(t.shape, shape)) {
        throw new Error(`createLoopModel: layer ${i} expects [${shape.join(', ')}]; got [${t.shape.join(', ')}].`);
      }
    }
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = tf.tidy(() =>
      tf.variable(kernelInit ? tf.clone(kernelInit) : tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', (options.seed ?? 1) + i)),
    );
    const bias = tf.tidy(() => tf.variable(biasInit ? tf.clone(biasInit) : tf.zeros([fanOut])));
    layers.push({kernel, bias});
    fanIn = fanOut;
  });
  return {layers, variables: layers.flatMap((l) => [l.kernel, l.bias])};
}

/** Frees the loop model's variables. */
export function disposeLoopModel(model: LoopModel): void {
  tf.dispose([...model.variables]);
}

/**
 * The mean softmax crossentropy of the model's logits on `x` `[batch, inputs]`
 * float32 against class ids `y` `[batch]` int32. Returns a new scalar; call
 * inside `tf.tidy` (intermediates are not freed here).
 */
export function loopLoss(model: LoopModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  let h = x;
  const last = model.layers.length - 1;
  model.layers.forEach((layer, i) => {
    h = tf.add(tf.matMul(h, layer.kernel), layer.bias);
    if (i < last) h = tf.relu(h);
  });
  const classes = h.shape[h.shape.length - 1]!;
  // int32 then a cast: tfjs-backend-wasm 4.22's OneHot ignores a float32 dtype
  // and writes integer bit patterns into the float buffer (a loss of ≈ 1e-45).
  const labels = tf.cast(tf.oneHot(y as tf.Tensor1D, classes), 'float32');
  return tf.losses.softmaxCrossEntropy(labels, h) as tf.Scalar;
}

/**
 * One training step: the rows `indices` of `x`/`y` (all rows when null),
 * gradients of {@link loopLoss} for every variable, one optimizer update.
 *
 * @returns the step's loss (before the update) as a new scalar the caller
 *   disposes; nothing is read back.
 */
export function loopStep(model: LoopModel, optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor, indices: Int32Array | null): tf.Scalar {
  return tf.tidy(() => {
    let xb = x;
    let yb = y;
    if (indices) {
      const idx = tf.tensor1d(indices, 'int32');
      xb = tf.gather(x, idx);
      yb = tf.gather(y, idx);
    }
    const {value, grads} = tf.variableGrads(() => loopLoss(model, xb, yb), [...model.variables]);
    optimizer.applyGradients(grads);
    return value;
  });
}
