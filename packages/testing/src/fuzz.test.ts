import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {DEEP, DEEP_LEVELS, applyByteEdit, applyJsonEdits, byteEdits, fuzzRuns, jsonEdits, jsonText} from './fuzz';

describe('byte edits', () => {
  it('cut, append, replace a header word, then flip, on a copy', () => {
    const bytes = Uint8Array.of(0, 0, 8, 3, 1, 2, 3, 4, 5);
    const out = applyByteEdit(bytes, {
      cut: 6,
      extra: Uint8Array.of(9, 9),
      word: [1, 0x01020304],
      flips: [
        [0, 0xff],
        [15, 1],
      ],
    });
    // word 1 (bytes 4..7) is replaced after the cut: 6 bytes + 2 appended = 8 bytes; 15 % 8 = 7.
    expect([...out]).toEqual([0xff, 0, 8, 3, 1, 2, 3, 4 ^ 1]);
    expect([...bytes]).toEqual([0, 0, 8, 3, 1, 2, 3, 4, 5]);
  });

  it('a word beyond the end is left alone, and an empty result takes no flips', () => {
    expect([...applyByteEdit(Uint8Array.of(1, 2), {cut: undefined, extra: new Uint8Array(0), word: [1, 7], flips: []})]).toEqual([1, 2]);
    expect(applyByteEdit(Uint8Array.of(1, 2), {cut: 0, extra: new Uint8Array(0), word: undefined, flips: [[3, 1]]})).toHaveLength(0);
  });

  it('header words are drawn only when asked for', () => {
    fc.assert(fc.property(byteEdits(), (e) => e.word === undefined));
    const words = fc.sample(byteEdits({headerWords: 2}), {numRuns: 200, seed: 1}).flatMap((e) => (e.word ? [e.word[0]] : []));
    expect(new Set(words)).toEqual(new Set([0, 1]));
  });
});

describe('JSON edits', () => {
  const doc = {a: {b: [1, 2]}, c: 3};

  it('replace, delete, wrap and duplicate one slot at or below the focus, on a copy', () => {
    // Slots under focus 'a': a, a.b, a.b[0], a.b[1].
    expect(applyJsonEdits(doc, [{at: 2, op: 'replace', value: 'x'}], 'a')).toEqual({a: {b: ['x', 2]}, c: 3});
    expect(applyJsonEdits(doc, [{at: 3, op: 'delete', value: null}], 'a')).toEqual({a: {b: [1]}, c: 3});
    expect(applyJsonEdits(doc, [{at: 1, op: 'wrap', value: null}], 'a')).toEqual({a: {b: [[1, 2]]}, c: 3});
    expect(applyJsonEdits(doc, [{at: 2, op: 'duplicate', value: null}], 'a')).toEqual({a: {b: [1, 1, 2]}, c: 3});
    // Without a focus, breadth first from the root: value, a, c, a.b, ...
    expect(applyJsonEdits(doc, [{at: 2, op: 'delete', value: null}])).toEqual({a: {b: [1, 2]}});
    // The root is replaced, never deleted.
    expect(applyJsonEdits(doc, [{at: 0, op: 'delete', value: 7}])).toBe(7);
    expect(doc).toEqual({a: {b: [1, 2]}, c: 3});
  });

  it('any edits of any document give a JSON-serializable value', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(jsonEdits(), {maxLength: 4}),
        (json, edits) => typeof jsonText(applyJsonEdits(json, edits)) === 'string',
      ),
    );
  });

  it('jsonText nests the DEEP marker', () => {
    const text = jsonText({x: DEEP});
    expect(text.length).toBe(`{"x":}`.length + 2 * DEEP_LEVELS);
    expect(text.startsWith('{"x":[[[')).toBe(true);
  });
});

describe('fuzzRuns', () => {
  it('reads TRELLIS_FUZZ_RUNS, else the fallback', () => {
    const saved = process.env['TRELLIS_FUZZ_RUNS'];
    try {
      delete process.env['TRELLIS_FUZZ_RUNS'];
      expect(fuzzRuns(12)).toBe(12);
      process.env['TRELLIS_FUZZ_RUNS'] = '10000';
      expect(fuzzRuns(12)).toBe(10000);
    } finally {
      if (saved === undefined) delete process.env['TRELLIS_FUZZ_RUNS'];
      else process.env['TRELLIS_FUZZ_RUNS'] = saved;
    }
  });
});
