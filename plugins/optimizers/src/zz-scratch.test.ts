import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer} from '@trellis/core';
import {it} from 'vitest';
import {adam64, copy, fixedGrad64, fixedGrads, grads64, gradsTf, initialValues, makeVariables, maxRelDiff, maxAbsDiff, read, subtract, SHAPES} from '../test/fixtures';
import {adam} from './adam';
it('scratch', async () => {
  await tf.setBackend('cpu');
  for (const [lr, eps, steps] of [[0.01, 1e-7, 30], [0.05, 1e-7, 50], [0.01, 1e-3, 30], [0.05, 0.1, 30]] as const) {
    // model grads
    const a = makeVariables(); const b = makeVariables();
    const opt = new StatefulOptimizer(adam({learningRate: lr, epsilon: eps}));
    const t = tf.train.adam(lr, 0.9, 0.999, eps);
    const k64 = copy(initialValues()); const kstep = adam64({lr: () => lr, beta1: 0.9, beta2: 0.999, epsilon: eps, kerasEpsilon: true});
    const t64 = copy(initialValues()); const tstep = adam64({lr: () => lr, beta1: 0.9, beta2: 0.999, epsilon: eps, kerasEpsilon: false});
    for (let s = 0; s < steps; s++) { const g = gradsTf(a); opt.applyGradients(g, a); tf.dispose(Object.values(g));
      const h = gradsTf(b); t.applyGradients(Object.fromEntries(Object.entries(h).map(([k, x]) => [b[k]!.name, x]))); tf.dispose(Object.values(h));
      kstep(k64, grads64(k64)); tstep(t64, grads64(t64)); }
    console.log('MODEL lr', lr, 'eps', eps, 'ours-keras64 rel', maxRelDiff(read(a), k64), 'tfjs-text64 rel', maxRelDiff(read(b), t64),
      'ours-tfjs abs', maxAbsDiff(read(a), read(b)), 'keras64-text64 abs', maxAbsDiff(k64, t64), 'moved', maxRelDiff(read(a), initialValues()));
    // fixed grads
    const c = makeVariables(); const d = makeVariables();
    const opt2 = new StatefulOptimizer(adam({learningRate: lr, epsilon: eps}));
    const t2 = tf.train.adam(lr, 0.9, 0.999, eps);
    const k2 = copy(initialValues()); const ks2 = adam64({lr: () => lr, beta1: 0.9, beta2: 0.999, epsilon: eps, kerasEpsilon: true});
    const x2 = copy(initialValues()); const xs2 = adam64({lr: () => lr, beta1: 0.9, beta2: 0.999, epsilon: eps, kerasEpsilon: false});
    for (let s = 0; s < steps; s++) { const g = fixedGrads(s); opt2.applyGradients(g, c); t2.applyGradients(Object.fromEntries(Object.entries(g).map(([k, x]) => [d[k]!.name, x]))); tf.dispose(Object.values(g));
      const g64 = Object.fromEntries(Object.keys(SHAPES).map((n) => [n, fixedGrad64(s, n)])); ks2(k2, g64); xs2(x2, g64); }
    const measured = subtract(read(c), read(d)); const predicted = subtract(k2, x2);
    console.log('FIXED lr', lr, 'eps', eps, 'ours-keras64 rel', maxRelDiff(read(c), k2), 'tfjs-text64 rel', maxRelDiff(read(d), x2),
      'measured abs', maxAbsDiff(read(c), read(d)), 'predicted abs', maxAbsDiff(k2, x2), 'meas-pred', maxAbsDiff(measured, predicted));
  }
});
