/**
 * What the gradient statistics say, in words a student understands.
 * @module
 */
import type {LayerStatistics} from './layer-statistics';

/** The kinds of trouble {@link diagnose} recognizes (each is reported once per fit). */
export type Trouble = 'vanishing' | 'exploding' | 'nonFinite' | 'deadRelu' | 'updateTooSmall' | 'updateTooLarge';

/** The limits {@link diagnose} uses; every field has a default. */
export type DiagnosisLimits = {
  /**
   * Vanishing: the first layer's gradient below this fraction of the last
   * layer's (default 1e-3), compared as root mean squares (the norm per
   * weight), so that a wide first layer and a narrow last one compare fairly.
   */
  readonly vanishingRatio: number;
  /** Exploding: a layer's gradient norm above this (default 1e3). */
  readonly explodingNorm: number;
  /** Dead ReLUs: more than this fraction of a layer's units never fire on the batch (default 0.5). */
  readonly deadRelu: number;
  /** The update/weight ratio is healthy within [low, high] (default [1e-5, 1e-1], two decades around 1e-3). */
  readonly updateRatio: readonly [number, number];
};

export const DEFAULT_LIMITS: DiagnosisLimits = {vanishingRatio: 1e-3, explodingNorm: 1e3, deadRelu: 0.5, updateRatio: [1e-5, 1e-1]};

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(1) : String(v));

/** Every trouble the statistics of one step show, with its message (in layer order; nothing when all is well). */
export function diagnose(
  stats: readonly LayerStatistics[],
  limits: DiagnosisLimits = DEFAULT_LIMITS,
): {trouble: Trouble; message: string}[] {
  const found: {trouble: Trouble; message: string}[] = [];
  /** Reports `trouble` for `layer`, the first layer showing it, if there is one. */
  const report = (trouble: Trouble, layer: LayerStatistics | undefined, message: (s: LayerStatistics) => string) => {
    if (layer) found.push({trouble, message: message(layer)});
  };
  report(
    'nonFinite',
    stats.find((s) => s.nonFinite > 0),
    (s) =>
      `${s.nonFinite} gradient values of layer '${s.layer}' are NaN or infinite: training has diverged. ` +
      'Usual cures: a lower learning rate, clipnorm: 1.0 on the optimizer, inputs scaled to about [0, 1], and a loss that takes logits (fromLogits: true) instead of log of a softmax.',
  );
  const first = stats[0];
  const last = stats[stats.length - 1];
  if (stats.length >= 2 && first && last && last.gradRms > 0 && first.gradRms < limits.vanishingRatio * last.gradRms) {
    found.push({
      trouble: 'vanishing',
      message:
        `vanishing gradients: the first layer '${first.layer}' gets gradients of ${fmt(first.gradRms)} per weight (root mean square), ` +
        `${fmt(first.gradRms / last.gradRms)} of the last layer '${last.layer}' (${fmt(last.gradRms)}), so the early layers barely learn. ` +
        'Usual cures: relu activations with He initialization (kernelInitializer: heNormal()), batch normalization between layers, or fewer layers.',
    });
  }
  report(
    'exploding',
    stats.find((s) => s.gradNorm > limits.explodingNorm),
    (s) =>
      `exploding gradients: layer '${s.layer}' has a gradient of norm ${fmt(s.gradNorm)} (above ${fmt(limits.explodingNorm)}). ` +
      'Usual cures: a lower learning rate, clipnorm: 1.0 on the optimizer, batch normalization, and inputs scaled to about [0, 1].',
  );
  report(
    'deadRelu',
    stats.find((s) => s.deadRelu !== null && s.deadRelu > limits.deadRelu),
    (s) =>
      `dead ReLUs: ${Math.round(s.deadRelu! * 100)}% of the units of layer '${s.layer}' output 0 for every sample of the batch, so they get no gradient and stop learning. ` +
      'Usual cures: a lower learning rate, He initialization (heNormal()), or leakyRelu instead of relu.',
  );
  const [low, high] = limits.updateRatio;
  report(
    'updateTooSmall',
    stats.find((s) => s.weightNorm > 0 && s.updateRatio < low),
    (s) =>
      `tiny updates: one step changes the weights of layer '${s.layer}' by ${fmt(s.updateRatio)} of their size (a healthy ratio is about 1e-3). ` +
      'The learning rate is probably too low, or the gradients vanish: try a 10x higher learning rate.',
  );
  report(
    'updateTooLarge',
    stats.find((s) => s.weightNorm > 0 && s.updateRatio > high),
    (s) =>
      `huge updates: one step changes the weights of layer '${s.layer}' by ${fmt(s.updateRatio)} of their size (a healthy ratio is about 1e-3). ` +
      'The learning rate is probably too high: try a 10x lower one, or clipnorm: 1.0.',
  );
  return found;
}
