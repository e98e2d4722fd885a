import * as tf from '@tensorflow/tfjs-core';
import {data} from 'trellis';

// keras.datasets.mnist.load_data(), x / 255: no download, the files come with @trellis/data.
const mnist = await data.loadMnist({flatten: false}); // train.x [60000, 28, 28, 1], test.x [10000, 28, 28, 1]

// keras.datasets.cifar10.load_data(), x / 255: from the binary batches you downloaded once.
const cifar = await data.loadCifar10({path: 'cifar-10-batches-bin'}); // train.x [N, 32, 32, 3], y int32 [N]
console.log(mnist.train.x.shape, cifar.train.x.shape);
tf.dispose([mnist, cifar]);
