// A training process for the kill-and-resume test (src/kill-resume.test.ts), run with node on the
// built packages: trains a small model with backupAndRestore (a backup after every step) and writes
// its final weights as JSON. Usage: node resume-child.mjs <backupDir | -> <outFile> <modelSeed>
import {rename, writeFile} from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import {cpu} from '@trellis/backend-cpu';
import {backupAndRestore} from '@trellis/callbacks';
import {Sequential, ensureGradients, setSeed, useBackend} from '@trellis/core';
import {dense, dropout, meanSquaredError} from '@trellis/layers';
import {adam} from '@trellis/optimizers';

const [backupDir, outFile, modelSeed] = process.argv.slice(2);
await useBackend(cpu());
ensureGradients();
setSeed(21);
const x = tf.randomNormal([64, 4], 0, 1, 'float32', 3);
const y = tf.randomNormal([64, 2], 0, 1, 'float32', 4);
setSeed(Number(modelSeed));
const model = new Sequential([dense({units: 16, activation: 'relu', inputShape: [4]}), dropout({rate: 0.3}), dense({units: 2})]);
model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
// A pause after each step widens the moments a kill can land in, mid-write included.
const pause = {name: 'pause', onBatchEnd: () => new Promise((resolve) => setTimeout(resolve, 15))};
const callbacks = backupDir === '-' ? [pause] : [backupAndRestore({backupDir, saveFreq: 1}), pause];
await model.fit(x, y, {epochs: 8, batchSize: 8, validationSplit: 0.25, callbacks});
const weights = model.getWeights();
const values = Object.fromEntries(Object.entries(weights).map(([name, t]) => [name, Array.from(t.dataSync())]));
await writeFile(`${outFile}.tmp`, JSON.stringify(values));
await rename(`${outFile}.tmp`, outFile);
