// Measures matmul throughput on the tfjs wasm backend: stock tfjs-backend-wasm
// kernels vs Trellis' replacements. Not a test: speed is never asserted.
//
//   cd plugins/backend-wasm && npx tsup && node scripts/bench-matmul.mjs [--seconds=0.5] [--rounds=5]
//
// Needs the built dist of this package and of @trellis/core.
import * as tf from '@tensorflow/tfjs-core';
import {useBackend} from '@trellis/core';
import {restoreStockKernels, wasm} from '@trellis/backend-wasm';

const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 0.5);
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 5);

/** Seconds per call of `fn`, averaged over a window of ≥ `seconds`. */
function window(fn) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < seconds);
  return elapsed / calls;
}

/**
 * Times `fn` with the stock kernels and with Trellis' in alternating windows
 * (so load from other processes hits both alike) and keeps each side's best
 * window: the least disturbed measurement of the same work.
 */
async function stockVsTrellis(fn) {
  const best = {stock: Infinity, trellis: Infinity};
  for (const side of ['stock', 'trellis']) {
    if (side === 'stock') restoreStockKernels();
    else await wasm().register();
    for (let i = 0; i < 3; i++) fn(); // warm-up (XNNPACK operators, heap growth)
  }
  for (let r = 0; r < rounds; r++) {
    restoreStockKernels();
    best.stock = Math.min(best.stock, window(fn));
    await wasm().register();
    best.trellis = Math.min(best.trellis, window(fn));
  }
  return best;
}

function operands({batch = [], m, k, n, transposeA, transposeB}) {
  const a = tf.randomNormal([...batch, ...(transposeA ? [k, m] : [m, k])]);
  const b = tf.randomNormal(transposeB ? [n, k] : [k, n]);
  return {a, b};
}

function gflops({batch = [], m, k, n}, secondsPerCall) {
  const products = batch.reduce((p, d) => p * d, 1);
  return (2 * products * m * k * n) / secondsPerCall / 1e9;
}

async function compare(label, setup, run) {
  const state = setup();
  const {stock, trellis} = await stockVsTrellis(() => run(state));
  tf.dispose(Object.values(state).filter((v) => v instanceof tf.Tensor));
  return {label, stock, trellis};
}

await useBackend(wasm());
console.log(
  `tfjs-core ${tf.version_core}, backend ${tf.getBackend()}, SIMD ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}, node ${process.version}`,
);

const matmulRows = [];
const shapes = [
  {name: 'x·W', m: 128, k: 784, n: 512},
  {name: 'dW = xᵀ·dy', m: 784, k: 128, n: 512},
  {name: 'dX = dy·Wᵀ', m: 128, k: 512, n: 784},
];
for (const shape of shapes) {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    const spec = {...shape, transposeA, transposeB};
    const r = await compare(
      `${shape.name} [${shape.m}×${shape.k}]·[${shape.k}×${shape.n}] tA=${transposeA ? 1 : 0} tB=${transposeB ? 1 : 0}`,
      () => operands(spec),
      ({a, b}) => tf.dispose(tf.matMul(a, b, transposeA, transposeB)),
    );
    matmulRows.push({...r, flopsOf: spec});
  }
}
for (const [transposeA, transposeB] of [
  [false, false],
  [false, true],
]) {
  const spec = {batch: [4], m: 128, k: 784, n: 512, transposeA, transposeB};
  const r = await compare(
    `batched [4,128,784]·[784,512] tA=0 tB=${transposeB ? 1 : 0}`,
    () => operands(spec),
    ({a, b}) => tf.dispose(tf.matMul(a, b, transposeA, transposeB)),
  );
  matmulRows.push({...r, flopsOf: spec});
}
{
  const spec = {m: 128, k: 784, n: 512, transposeA: false, transposeB: true};
  const r = await compare(
    'fused relu(x·Wᵀ + b) tB=1',
    () => ({...operands(spec), bias: tf.randomNormal([512])}),
    ({a, b, bias}) => tf.dispose(tf.fused.matMul({a, b, transposeB: true, bias, activation: 'relu'})),
  );
  matmulRows.push({...r, flopsOf: spec});
}

console.log('\n| product (GFLOP/s; last row: ms per step) | stock | Trellis | speedup |');
console.log('|---|---:|---:|---:|');
for (const {label, stock, trellis, flopsOf} of matmulRows) {
  console.log(
    `| ${label} | ${gflops(flopsOf, stock).toFixed(1)} | ${gflops(flopsOf, trellis).toFixed(1)} | ${(stock / trellis).toFixed(1)}× |`,
  );
}

// One training step (forward + all gradients) of a 784-512-128-10 relu MLP, batch 128.
const sizes = [784, 512, 128, 10];
const weights = [];
for (let i = 0; i < 3; i++) {
  weights.push(tf.variable(tf.mul(tf.randomNormal([sizes[i], sizes[i + 1]]), Math.sqrt(2 / sizes[i]))));
  weights.push(tf.variable(tf.zeros([sizes[i + 1]])));
}
const x = tf.randomUniform([128, 784]);
const labels = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32'), 10);
const step = () =>
  tf.tidy(() => {
    const {grads} = tf.variableGrads(() => {
      let h = x;
      for (let i = 0; i < 3; i++) {
        h = tf.add(tf.matMul(h, weights[2 * i]), weights[2 * i + 1]);
        if (i < 2) h = tf.relu(h);
      }
      return tf.losses.softmaxCrossEntropy(labels, h);
    });
    for (const g of Object.values(grads)) g.dataSync();
  });
const {stock: stockStep, trellis: trellisStep} = await stockVsTrellis(step);
console.log(
  `| MLP 784-512-128-10 relu, one step (forward + all gradients), batch 128 | ${(stockStep * 1e3).toFixed(1)} ms | ` +
    `${(trellisStep * 1e3).toFixed(1)} ms | ${(stockStep / trellisStep).toFixed(1)}× |`,
);
console.log(`\nBest of ${rounds} alternating windows of ≥ ${seconds} s per side.`);
