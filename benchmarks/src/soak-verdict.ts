/**
 * The memory soak's verdict: per-epoch readings in, pass or fail and the
 * printed summary out. Pure, so it is tested without training anything.
 * @module
 */

/** Memory after one epoch (after a garbage collection when `--expose-gc` is on). */
export type MemorySample = {
  /** The epoch just ended, counted from 1. */
  readonly epoch: number;
  /** `tf.memory().numTensors`. */
  readonly numTensors: number;
  /** `process.memoryUsage().rss`, in bytes. */
  readonly rssBytes: number;
  /** `process.memoryUsage().heapUsed` (live JavaScript objects), in bytes: shown, not judged. */
  readonly heapUsedBytes: number;
};

/** What the soak allows. */
export type SoakLimits = {
  /** The epoch after which RSS is the baseline (the runtime and the wasm heap have settled by then). */
  readonly rssBaselineEpoch: number;
  /** Largest RSS growth from the baseline epoch to the last one, in MB (2²⁰ bytes). */
  readonly maxRssGrowthMB: number;
};

/** The limits of `pnpm memory`: RSS may grow at most 5 MB from epoch 10 on. */
export const DEFAULT_SOAK_LIMITS: SoakLimits = {rssBaselineEpoch: 10, maxRssGrowthMB: 5};

/** The soak's numbers and whether they pass. */
export type SoakVerdict = {
  readonly epochs: number;
  readonly tensorsAfterFirst: number;
  readonly tensorsAtBaseline: number;
  readonly tensorsAfterLast: number;
  /** The first epoch whose tensor count differs from epoch 1's, or null when the count is flat. */
  readonly firstTensorChange: number | null;
  readonly rssAtBaselineMB: number;
  readonly rssAfterLastMB: number;
  readonly rssGrowthMB: number;
  readonly heapUsedAtBaselineMB: number;
  readonly heapUsedAfterLastMB: number;
  readonly tensorsFlat: boolean;
  readonly rssFlat: boolean;
  readonly passed: boolean;
  readonly limits: SoakLimits;
};

const MB = 2 ** 20;

/**
 * Judges a soak: the tensor count must be the same after every epoch as
 * after epoch 1, and RSS after the last epoch at most
 * `limits.maxRssGrowthMB` above RSS after epoch `limits.rssBaselineEpoch`.
 *
 * @param samples - one reading per epoch, epochs 1, 2, … in order.
 * @throws {Error} when there are fewer samples than `limits.rssBaselineEpoch + 1`
 *   or they are not epochs 1, 2, … in order.
 */
export function judgeSoak(samples: readonly MemorySample[], limits: SoakLimits = DEFAULT_SOAK_LIMITS): SoakVerdict {
  if (samples.length <= limits.rssBaselineEpoch) {
    throw new Error(`A soak needs more than ${limits.rssBaselineEpoch} epochs to judge RSS growth; got ${samples.length}.`);
  }
  samples.forEach((s, i) => {
    if (s.epoch !== i + 1) throw new Error(`Sample ${i} is for epoch ${s.epoch}; expected epoch ${i + 1}.`);
  });
  const first = samples[0]!;
  const baseline = samples[limits.rssBaselineEpoch - 1]!;
  const last = samples[samples.length - 1]!;
  const changed = samples.find((s) => s.numTensors !== first.numTensors);
  const rssGrowthMB = (last.rssBytes - baseline.rssBytes) / MB;
  const tensorsFlat = changed === undefined;
  const rssFlat = rssGrowthMB <= limits.maxRssGrowthMB;
  return {
    epochs: samples.length,
    tensorsAfterFirst: first.numTensors,
    tensorsAtBaseline: baseline.numTensors,
    tensorsAfterLast: last.numTensors,
    firstTensorChange: changed?.epoch ?? null,
    rssAtBaselineMB: baseline.rssBytes / MB,
    rssAfterLastMB: last.rssBytes / MB,
    rssGrowthMB,
    heapUsedAtBaselineMB: baseline.heapUsedBytes / MB,
    heapUsedAfterLastMB: last.heapUsedBytes / MB,
    tensorsFlat,
    rssFlat,
    passed: tensorsFlat && rssFlat,
    limits,
  };
}

/** The summary lines `pnpm memory` prints for a verdict. */
export function formatSoak(verdict: SoakVerdict): string[] {
  const {epochs, limits} = verdict;
  const mb = (x: number) => `${x.toFixed(1)} MB`;
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)} MB`;
  const tensorNote = verdict.tensorsFlat ? 'flat' : `NOT flat: changed at epoch ${verdict.firstTensorChange}`;
  return [
    `numTensors after epoch 1: ${verdict.tensorsAfterFirst}, epoch ${limits.rssBaselineEpoch}: ${verdict.tensorsAtBaseline}, ` +
      `epoch ${epochs}: ${verdict.tensorsAfterLast} (${tensorNote})`,
    `RSS after epoch ${limits.rssBaselineEpoch}: ${mb(verdict.rssAtBaselineMB)}, epoch ${epochs}: ${mb(verdict.rssAfterLastMB)}, ` +
      `growth ${signed(verdict.rssGrowthMB)} (limit ${limits.maxRssGrowthMB} MB${verdict.rssFlat ? '' : ', EXCEEDED'})`,
    `V8 heap used after epoch ${limits.rssBaselineEpoch}: ${mb(verdict.heapUsedAtBaselineMB)}, epoch ${epochs}: ${mb(verdict.heapUsedAfterLastMB)}, ` +
      `growth ${signed(verdict.heapUsedAfterLastMB - verdict.heapUsedAtBaselineMB)} (not judged)`,
    verdict.passed ? 'PASS' : 'FAIL',
  ];
}
