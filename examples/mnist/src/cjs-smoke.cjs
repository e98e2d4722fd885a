// CommonJS consumer of the built packages: the "require" condition of every
// workspace package, gradients registered by @trellis/core's CJS build, one engine.
const tf = require('@tensorflow/tfjs-core');
const {Sequential, createTrellis, dense, sgd, meanSquaredError, setSeed} = require('trellis');
const {ensureGradients} = require('@trellis/core');

(async () => {
  await createTrellis({backend: 'cpu'});
  ensureGradients();
  setSeed(1);
  const x = tf.randomNormal([64, 2], 0, 1, 'float32', 3);
  const y = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d([[2], [-1]])), 0.5));
  const model = new Sequential([dense({units: 1, inputShape: [2]})]);
  model.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
  const history = await model.fit(x, y, {epochs: 30, batchSize: 16});
  const loss = history.history.loss;
  if (!(loss[loss.length - 1] < 1e-3)) throw new Error(`cjs smoke: did not converge (loss ${loss[loss.length - 1]})`);
  if (tf.getBackend() !== 'cpu') throw new Error('cjs smoke: wrong backend');
  console.log(`[cjs] ok: loss ${loss[0].toFixed(3)} -> ${loss[loss.length - 1].toExponential(2)}`);
  model.dispose();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
