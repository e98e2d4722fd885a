// Every named optimizer against keras.optimizers: 20 updates of the same
// variables with the same gradients; the variables agree after every step.
import {adam, optimizers, rmsprop, schedules, sgd} from 'trellis';
import {describeOptimizerCases} from './harness/optimizer-cases';

describeOptimizerCases(
  'optimizers',
  {
    sgd: {make: () => sgd({learningRate: 0.1})},
    sgdMomentum: {make: () => sgd({learningRate: 0.05, momentum: 0.9})},
    sgdNesterov: {make: () => sgd({learningRate: 0.05, momentum: 0.8, nesterov: true})},
    adam: {make: () => adam({learningRate: 0.01})},
    adamSmallGradients: {make: () => adam({learningRate: 0.01, beta1: 0.8, beta2: 0.99}), gradientScale: 1e-3},
    adamExponentialDecay: {
      make: () => adam({learningRate: schedules.exponentialDecay({initialLearningRate: 0.05, decaySteps: 4, decayRate: 0.5})}),
    },
    sgdMomentumCosineDecayWarmup: {
      make: () =>
        sgd({
          learningRate: schedules.cosineDecay({initialLearningRate: 0.01, decaySteps: 12, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 5}),
          momentum: 0.9,
        }),
    },
    sgdCommonWeightDecay: {make: () => sgd({learningRate: 0.1, momentum: 0.9, weightDecay: 0.2})},
    sgdCommonClipNorm: {make: () => sgd({learningRate: 0.1, clipNorm: 0.5})},
    sgdCommonClipValue: {make: () => sgd({learningRate: 0.1, momentum: 0.5, clipValue: 0.3})},
    sgdCommonGlobalClipNorm: {make: () => sgd({learningRate: 0.1, globalClipNorm: 1})},
    sgdCommonAccumulation3: {make: () => sgd({learningRate: 0.1, momentum: 0.9, nesterov: true, gradientAccumulationSteps: 3})},
    sgdCommonEma: {make: () => sgd({learningRate: 0.1, momentum: 0.9, useEma: true, emaMomentum: 0.8}), finalize: (o, v) => o.finalize(v)},
    sgdCommonEmaOverwrite: {
      make: () => sgd({learningRate: 0.1, useEma: true, emaOverwriteFrequency: 3}),
      finalize: (o, v) => o.finalize(v),
    },
    adamCommonWeightDecay: {make: () => adam({learningRate: 0.01, weightDecay: 0.3})},
    adamCommonClipNorm: {make: () => adam({learningRate: 0.01, clipNorm: 0.5})},
    adamCommonClipValue: {make: () => adam({learningRate: 0.01, clipValue: 0.3})},
    adamCommonGlobalClipNorm: {make: () => adam({learningRate: 0.01, globalClipNorm: 1})},
    adamCommonAccumulation3: {make: () => adam({learningRate: 0.01, gradientAccumulationSteps: 3})},
    adamCommonAccumulation3DecayClip: {
      make: () => adam({learningRate: 0.01, gradientAccumulationSteps: 3, weightDecay: 0.2, clipNorm: 0.5}),
    },
    adamCommonEma: {make: () => adam({learningRate: 0.01, useEma: true}), finalize: (o, v) => o.finalize(v)},
    adamCommonEmaOverwrite: {
      make: () => adam({learningRate: 0.01, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 4}),
      finalize: (o, v) => o.finalize(v),
    },
    adamCommonEmaAccumulation: {
      make: () => adam({learningRate: 0.01, useEma: true, emaMomentum: 0.7, emaOverwriteFrequency: 2, gradientAccumulationSteps: 3}),
      finalize: (o, v) => o.finalize(v),
    },
    adamAmsgrad: {make: () => adam({learningRate: 0.01, amsgrad: true})},
    adamAmsgradSmallGradients: {make: () => adam({learningRate: 0.01, beta2: 0.9, amsgrad: true}), gradientScale: 1e-3},
    rmsprop: {make: () => rmsprop()},
    rmspropMomentum: {make: () => rmsprop({learningRate: 0.01, rho: 0.8, momentum: 0.9})},
    rmspropCentered: {make: () => rmsprop({learningRate: 0.01, centered: true, epsilon: 1e-5})},
    rmspropCenteredMomentum: {make: () => rmsprop({learningRate: 0.005, centered: true, momentum: 0.5}), gradientScale: 1e-2},
    adagrad: {make: () => optimizers.adagrad()},
    adagradAccumulator: {make: () => optimizers.adagrad({learningRate: 0.05, initialAccumulatorValue: 0.5, epsilon: 1e-5})},
    adagradNoAccumulator: {make: () => optimizers.adagrad({learningRate: 0.01, initialAccumulatorValue: 0}), gradientScale: 1e-3},
    adadelta: {make: () => optimizers.adadelta()},
    adadeltaPaper: {make: () => optimizers.adadelta({learningRate: 1, rho: 0.9, epsilon: 1e-6})},
    rmspropWeightDecay: {
      make: () => rmsprop({learningRate: 0.01, weightDecay: 0.1}),
      keras: {class_name: 'RMSprop', config: {learning_rate: 0.01, weight_decay: 0.1}},
    },
    rmspropClipNorm: {
      make: () => rmsprop({learningRate: 0.01, momentum: 0.9, centered: true, clipNorm: 0.5}),
      keras: {class_name: 'RMSprop', config: {learning_rate: 0.01, momentum: 0.9, centered: true, clipnorm: 0.5}},
    },
    adagradWeightDecay: {
      make: () => optimizers.adagrad({learningRate: 0.05, weightDecay: 0.05}),
      keras: {class_name: 'Adagrad', config: {learning_rate: 0.05, weight_decay: 0.05}},
    },
    adagradGlobalClipNorm: {
      make: () => optimizers.adagrad({learningRate: 0.05, globalClipNorm: 1}),
      keras: {class_name: 'Adagrad', config: {learning_rate: 0.05, global_clipnorm: 1}},
    },
    adadeltaWeightDecay: {
      make: () => optimizers.adadelta({learningRate: 1, weightDecay: 0.01}),
      keras: {class_name: 'Adadelta', config: {learning_rate: 1, weight_decay: 0.01}},
    },
    adadeltaClipValue: {
      make: () => optimizers.adadelta({learningRate: 1, epsilon: 1e-6, clipValue: 0.1}),
      keras: {class_name: 'Adadelta', config: {learning_rate: 1, epsilon: 1e-6, clipvalue: 0.1}},
    },
    adamax: {make: () => optimizers.adamax()},
    adamaxOptions: {make: () => optimizers.adamax({learningRate: 0.02, beta1: 0.8, beta2: 0.9, epsilon: 1e-3})},
    adamaxSmallGradients: {make: () => optimizers.adamax({learningRate: 0.01}), gradientScale: 1e-5},
    nadam: {make: () => optimizers.nadam()},
    nadamOptions: {make: () => optimizers.nadam({learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-3})},
    nadamSmallGradients: {make: () => optimizers.nadam({learningRate: 0.01}), gradientScale: 1e-5},
    lion: {make: () => optimizers.lion()},
    lionOptions: {make: () => optimizers.lion({learningRate: 0.01, beta1: 0.5, beta2: 0.9})},
    lionSignOfMomentum: {make: () => optimizers.lion({learningRate: 0.01, beta1: 1}), gradientScale: 1e-3},
    lamb: {make: () => optimizers.lamb()},
    lambOptions: {make: () => optimizers.lamb({learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-3})},
    lambSmallGradients: {make: () => optimizers.lamb({learningRate: 0.01}), gradientScale: 1e-5},
    adamAmsgradWeightDecay: {
      make: () => adam({learningRate: 0.01, amsgrad: true, weightDecay: 0.1}),
      keras: {class_name: 'Adam', config: {learning_rate: 0.01, amsgrad: true, weight_decay: 0.1}},
    },
    adamAmsgradClipNorm: {
      make: () => adam({learningRate: 0.01, amsgrad: true, clipNorm: 0.5}),
      keras: {class_name: 'Adam', config: {learning_rate: 0.01, amsgrad: true, clipnorm: 0.5}},
    },
    adamw: {make: () => optimizers.adamw()},
    adamwOptions: {
      make: () => optimizers.adamw({learningRate: 0.01, weightDecay: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-3, amsgrad: true}),
    },
    adamwSmallGradients: {make: () => optimizers.adamw({learningRate: 0.01, weightDecay: 0.5}), gradientScale: 1e-5},
    adamwClipNorm: {
      make: () => optimizers.adamw({learningRate: 0.01, clipNorm: 0.5}),
      keras: {class_name: 'AdamW', config: {learning_rate: 0.01, clipnorm: 0.5}},
    },
    adamaxWeightDecay: {
      make: () => optimizers.adamax({learningRate: 0.01, weightDecay: 0.1}),
      keras: {class_name: 'Adamax', config: {learning_rate: 0.01, weight_decay: 0.1}},
    },
    adamaxClipValue: {
      make: () => optimizers.adamax({learningRate: 0.01, clipValue: 0.2}),
      keras: {class_name: 'Adamax', config: {learning_rate: 0.01, clipvalue: 0.2}},
    },
    nadamWeightDecay: {
      make: () => optimizers.nadam({learningRate: 0.01, weightDecay: 0.1}),
      keras: {class_name: 'Nadam', config: {learning_rate: 0.01, weight_decay: 0.1}},
    },
    nadamGlobalClipNorm: {
      make: () => optimizers.nadam({learningRate: 0.01, globalClipNorm: 1}),
      keras: {class_name: 'Nadam', config: {learning_rate: 0.01, global_clipnorm: 1}},
    },
    // Nadam's momentum-cache product counts updates, not the accumulation steps.
    nadamAccumulation3: {make: () => optimizers.nadam({learningRate: 0.01, gradientAccumulationSteps: 3})},
    adamwEma: {make: () => optimizers.adamw({learningRate: 0.01, useEma: true, emaMomentum: 0.8}), finalize: (o, v) => o.finalize(v)},
    lambAccumulation2Schedule: {
      make: () =>
        optimizers.lamb({
          learningRate: schedules.exponentialDecay({initialLearningRate: 0.01, decaySteps: 5, decayRate: 0.5}),
          gradientAccumulationSteps: 2,
        }),
    },
    lionWeightDecay: {
      make: () => optimizers.lion({learningRate: 0.01, weightDecay: 0.5}),
      keras: {class_name: 'Lion', config: {learning_rate: 0.01, weight_decay: 0.5}},
    },
    lionClipNorm: {
      make: () => optimizers.lion({learningRate: 0.01, clipNorm: 0.5}),
      keras: {class_name: 'Lion', config: {learning_rate: 0.01, clipnorm: 0.5}},
    },
    lambWeightDecay: {
      make: () => optimizers.lamb({learningRate: 0.01, weightDecay: 0.5}),
      keras: {class_name: 'Lamb', config: {learning_rate: 0.01, weight_decay: 0.5}},
    },
    lambClipNorm: {
      make: () => optimizers.lamb({learningRate: 0.01, clipNorm: 0.5}),
      keras: {class_name: 'Lamb', config: {learning_rate: 0.01, clipnorm: 0.5}},
    },
  },
  1e-6,
);
