/**
 * fast-check arbitraries for fuzzing file readers: damaged bytes and damaged
 * JSON. `@trellis/testing/fuzz` (fast-check is an optional peer dependency).
 * @module
 */
import fc from 'fast-check';

/**
 * The cases per property: `TRELLIS_FUZZ_RUNS` when set (the root `fuzz` script
 * sets 10,000), else `fallback` (a few dozen for the ordinary test run).
 */
export function fuzzRuns(fallback: number): number {
  return Number(globalThis.process?.env?.['TRELLIS_FUZZ_RUNS']) || fallback;
}

/** Byte damage to a file: a cut, bytes appended, bits flipped and, optionally, a big-endian header word replaced. */
export type ByteEdit = {
  /** `[position, xor mask]` pairs, positions taken modulo the length. */
  readonly flips: readonly (readonly [number, number])[];
  /** Keep only the first `cut % (length + 1)` bytes; `undefined` keeps all. */
  readonly cut: number | undefined;
  /** Bytes appended after the cut. */
  readonly extra: Uint8Array;
  /** `[word index, value]`: the 32-bit big-endian word at `4 × index` replaced, when the file has it. */
  readonly word: readonly [number, number] | undefined;
};

/**
 * Byte edits: up to 4 bit flips, a cut in 3 of 4 cases, 16 random bytes
 * appended in 1 of 4, and with `headerWords: n` a replaced word among the
 * first `n` (magic numbers, dimensions: 0, 1, 28, 2^31, 2^32 − 1 or any).
 */
export function byteEdits(options: {readonly headerWords?: number} = {}): fc.Arbitrary<ByteEdit> {
  const words = options.headerWords ?? 0;
  const word =
    words > 0
      ? fc.option(fc.tuple(fc.integer({min: 0, max: words - 1}), fc.oneof(fc.constantFrom(0, 1, 28, 0xffffffff, 0x80000000), fc.nat())), {
          nil: undefined,
        })
      : fc.constant(undefined);
  return fc.record({
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({min: 1, max: 255})), {maxLength: 4}),
    cut: fc.option(fc.nat(), {nil: undefined, freq: 3}),
    extra: fc.oneof({weight: 3, arbitrary: fc.constant(new Uint8Array(0))}, {weight: 1, arbitrary: fc.uint8Array({maxLength: 16})}),
    word,
  });
}

/** `bytes` damaged by `edit` (a new array; `bytes` is not changed). */
export function applyByteEdit(bytes: Uint8Array, edit: ByteEdit): Uint8Array {
  const cut = edit.cut === undefined ? bytes.length : edit.cut % (bytes.length + 1);
  const out = new Uint8Array(cut + edit.extra.length);
  out.set(bytes.subarray(0, cut));
  out.set(edit.extra, cut);
  if (edit.word && 4 * edit.word[0] + 4 <= out.length) new DataView(out.buffer).setUint32(4 * edit.word[0], edit.word[1] >>> 0, false);
  for (const [at, mask] of edit.flips) if (out.length > 0) out[at % out.length]! ^= mask;
  return out;
}

/** A marker value {@link jsonText} writes as arrays nested {@link DEEP_LEVELS} deep. */
export const DEEP = '\u0000deep';
/** How deep {@link DEEP} nests. */
export const DEEP_LEVELS = 100_000;

const HOSTILE = [
  null,
  true,
  0,
  -1,
  0.5,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 31,
  '',
  '..',
  '../outside.bin',
  '/etc/passwd',
  'C:\\x.bin',
  'file:///etc/passwd',
  'float32',
  'int32',
  'bool',
  'string',
  [],
  {},
  [[]],
  [-1],
  [0],
  [2 ** 30, 2 ** 30],
  DEEP,
];

/**
 * Values that break a reader's assumptions — wrong types, huge and negative
 * numbers, hostile paths, absurd shapes, deep nesting ({@link DEEP}) — plus
 * the format's own words in `extra`, and small random JSON.
 */
export function hostileJson(extra: readonly unknown[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constantFrom<unknown>(...HOSTILE, ...extra), fc.jsonValue({maxDepth: 2}));
}

/** A structural edit of a JSON document. */
export type JsonEdit = {
  /** Which slot (member, element or the root), modulo the slots there are. */
  readonly at: number;
  readonly op: 'delete' | 'replace' | 'wrap' | 'duplicate';
  readonly value: unknown;
};

/** Edits that delete, replace (twice as often), wrap in an array or duplicate a slot, with values from `values`. */
export function jsonEdits(values: fc.Arbitrary<unknown> = hostileJson()): fc.Arbitrary<JsonEdit> {
  return fc.record({at: fc.nat(), op: fc.constantFrom('delete', 'replace', 'replace', 'wrap', 'duplicate'), value: values});
}

type Slot = {readonly parent: Record<string | number, unknown>; readonly key: string | number};

/**
 * `json` with `edits` applied, on a copy. Each edit picks one slot at or
 * below the member `focus` of the root (anywhere when `focus` is `''` or
 * absent).
 */
export function applyJsonEdits(json: unknown, edits: readonly JsonEdit[], focus = ''): unknown {
  const root: Record<string, unknown> = {value: structuredClone(json)};
  for (const e of edits) {
    const value = root['value'] as Record<string, unknown>;
    const focused = focus !== '' && value !== null && typeof value === 'object' && focus in value;
    const slots: Slot[] = [focused ? {parent: value, key: focus} : {parent: root, key: 'value'}];
    for (let i = 0; i < slots.length; i++) {
      const v = slots[i]!.parent[slots[i]!.key];
      if (v !== null && typeof v === 'object') {
        for (const k of Object.keys(v)) slots.push({parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k});
      }
    }
    const {parent, key} = slots[e.at % slots.length]!;
    if (e.op === 'replace' || parent === root) parent[key] = structuredClone(e.value);
    else if (e.op === 'wrap') parent[key] = [parent[key]];
    else if (Array.isArray(parent)) {
      if (e.op === 'duplicate') parent.splice(key as number, 0, structuredClone(parent[key as number]));
      else parent.splice(key as number, 1);
    } else delete parent[key];
  }
  return root['value'];
}

/** The JSON text of `value`, with every {@link DEEP} marker written as arrays nested {@link DEEP_LEVELS} deep. */
export function jsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replaceAll(JSON.stringify(DEEP), `${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}`);
}
