/**
 * Builders of `Summary.Value` messages in the encodings TensorBoard's
 * plugins read (see the package README for each layout).
 * @module
 */
import {
  DataClass,
  DataType,
  HParamDataType,
  Status,
  encodeMessage,
  writeHParamsPluginData,
  type HParamsPluginData,
  type MessageInit,
  type Summary_Value,
  type Value,
} from './proto';

/** TensorBoard's default number of histogram buckets. */
export const DEFAULT_BUCKET_COUNT = 30;

/** The fixed tags of the hparams plugin. */
export const HPARAMS_TAGS = {
  experiment: '_hparams_/experiment',
  sessionStartInfo: '_hparams_/session_start_info',
  sessionEndInfo: '_hparams_/session_end_info',
} as const;

const utf8 = new TextEncoder();

/** A `Summary.Value` as the builders below make it (fields left out are zero). */
export type SummaryValueInit = MessageInit<Summary_Value>;

function metadata(pluginName: string, dataClass: DataClass, content: Uint8Array) {
  return {pluginData: {pluginName, content}, dataClass};
}

// The histogram, image and text plugins' own content messages at version 0 serialize to no bytes, as TensorBoard writes them.
const NO_CONTENT = new Uint8Array(0);

function shape(dims: readonly number[]) {
  return {dim: dims.map((size) => ({size: BigInt(size)}))};
}

/**
 * A scalar as `simple_value` (float32; NaN and ±Infinity are kept as such),
 * read by every TensorBoard. A finite value beyond the float32 range becomes
 * ±Infinity, as numpy's float32 cast in `tf.summary.scalar` makes it.
 */
export function scalarValue(tag: string, value: number): SummaryValueInit {
  return {tag, value: {case: 'simpleValue', value: Math.fround(value)}};
}

/**
 * The buckets of TensorBoard's `histogram` summary (`histogram_pb` of
 * `tensorboard/plugins/histogram/summary_v2.py`, the rule TF2's
 * `tf.summary.histogram` follows): `bucketCount` equal-width buckets from the
 * minimum to the maximum, a value falling in `floor((x - min) / width)`
 * (the maximum in the last bucket); all values equal: every edge is that
 * value and the last bucket holds the count; no values: all zeros. Returns
 * `bucketCount` rows `[left, right, count]` flattened (float64, row-major).
 * Non-finite values are left out (TensorBoard would produce NaN edges).
 */
export function histogramBuckets(values: ArrayLike<number>, bucketCount: number = DEFAULT_BUCKET_COUNT): Float64Array {
  const out = new Float64Array(bucketCount * 3);
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (bucketCount === 0 || n === 0) return out;
  const range = max - min;
  if (range === 0) {
    for (let b = 0; b < bucketCount; b++) {
      out[b * 3] = min;
      out[b * 3 + 1] = min;
    }
    out[(bucketCount - 1) * 3 + 2] = n;
    return out;
  }
  const width = range / bucketCount;
  const counts = new Float64Array(bucketCount);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(Math.floor((v - min) / width), bucketCount - 1)]!++;
  }
  // np.linspace(min, max, k + 1): i * step + min, the last edge exactly max.
  for (let b = 0; b < bucketCount; b++) {
    out[b * 3] = b * width + min;
    out[b * 3 + 1] = b + 1 === bucketCount ? max : (b + 1) * width + min;
    out[b * 3 + 2] = counts[b]!;
  }
  return out;
}

/** A histogram: a DT_DOUBLE `[k, 3]` tensor of `[left, right, count]` rows, plugin `histograms`. */
export function histogramValue(tag: string, buckets: Float64Array): SummaryValueInit {
  const bytes = new Uint8Array(buckets.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < buckets.length; i++) view.setFloat64(i * 8, buckets[i]!, true);
  return {
    tag,
    metadata: metadata('histograms', DataClass.TENSOR, NO_CONTENT),
    value: {case: 'tensor', value: {dtype: DataType.DT_DOUBLE, tensorShape: shape([buckets.length / 3, 3]), tensorContent: bytes}},
  };
}

/** Images: a DT_STRING `[2 + n]` tensor `[width, height, png...]`, plugin `images`. */
export function imageValue(tag: string, width: number, height: number, pngs: readonly Uint8Array[]): SummaryValueInit {
  return {
    tag,
    metadata: metadata('images', DataClass.BLOB_SEQUENCE, NO_CONTENT),
    value: {
      case: 'tensor',
      value: {
        dtype: DataType.DT_STRING,
        tensorShape: shape([2 + pngs.length]),
        stringVal: [utf8.encode(String(width)), utf8.encode(String(height)), ...pngs],
      },
    },
  };
}

/** Markdown text: a DT_STRING scalar tensor, plugin `text`. */
export function textValue(tag: string, markdown: string): SummaryValueInit {
  return {
    tag,
    metadata: metadata('text', DataClass.TENSOR, NO_CONTENT),
    value: {case: 'tensor', value: {dtype: DataType.DT_STRING, tensorShape: shape([]), stringVal: [utf8.encode(markdown)]}},
  };
}

/** A value of an hparam: what TensorBoard's hparams dashboard shows. */
export type HParamValue = number | string | boolean;

function protoValue(value: HParamValue): Value {
  if (typeof value === 'number') return {kind: {case: 'numberValue', value}};
  if (typeof value === 'boolean') return {kind: {case: 'boolValue', value}};
  return {kind: {case: 'stringValue', value}};
}

function hparamsValue(tag: string, data: MessageInit<HParamsPluginData['data']>): SummaryValueInit {
  const content = encodeMessage({version: 0, data}, writeHParamsPluginData);
  return {
    tag,
    metadata: metadata('hparams', DataClass.TENSOR, content),
    // NULL_TENSOR of tensorboard/plugins/hparams/metadata.py: DT_FLOAT, shape [0].
    value: {case: 'tensor', value: {dtype: DataType.DT_FLOAT, tensorShape: shape([0])}},
  };
}

/** `_hparams_/session_start_info`: the session's hparam values. */
export function sessionStartValue(
  hparams: Readonly<Record<string, HParamValue>>,
  options: {groupName?: string; startTimeSecs: number},
): SummaryValueInit {
  return hparamsValue(HPARAMS_TAGS.sessionStartInfo, {
    case: 'sessionStartInfo',
    value: {
      hparams: Object.fromEntries(Object.entries(hparams).map(([k, v]) => [k, protoValue(v)])),
      groupName: options.groupName ?? '',
      startTimeSecs: options.startTimeSecs,
    },
  });
}

/** The session's final status, as the hparams plugin knows it. */
export type SessionStatus = 'success' | 'failure' | 'running' | 'unknown';

const STATUS: Record<SessionStatus, Status> = {
  success: Status.SUCCESS,
  failure: Status.FAILURE,
  running: Status.RUNNING,
  unknown: Status.UNKNOWN,
};

/** `_hparams_/session_end_info`: the session's status and end time. */
export function sessionEndValue(status: SessionStatus, endTimeSecs: number): SummaryValueInit {
  return hparamsValue(HPARAMS_TAGS.sessionEndInfo, {
    case: 'sessionEndInfo',
    value: {status: STATUS[status], endTimeSecs},
  });
}

/**
 * A metric of the HParams dashboard: a scalar `tag`, in the session's run
 * itself (`group` `''`, a bare string) or in its sub-run `group`
 * (`{group: 'validation', tag: 'epoch_accuracy'}`, as Keras' runs lay them out).
 */
export type HParamMetric = string | {readonly group: string; readonly tag: string};

/** `_hparams_/experiment`: the hparams (types from the values) and the metric tags the dashboard shows. */
export function experimentValue(
  hparams: Readonly<Record<string, HParamValue>>,
  metrics: readonly HParamMetric[],
  timeCreatedSecs: number,
): SummaryValueInit {
  const type = (v: HParamValue) =>
    typeof v === 'number' ? HParamDataType.FLOAT64 : typeof v === 'boolean' ? HParamDataType.BOOL : HParamDataType.STRING;
  return hparamsValue(HPARAMS_TAGS.experiment, {
    case: 'experiment',
    value: {
      timeCreatedSecs,
      hparamInfos: Object.entries(hparams).map(([name, v]) => ({name, type: type(v)})),
      metricInfos: metrics.map((m) => ({name: typeof m === 'string' ? {group: '', tag: m} : {group: m.group, tag: m.tag}})),
    },
  });
}
