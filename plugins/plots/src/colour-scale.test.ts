// The heat map's colour scale and the text colour on it.
import {describe, expect, it} from 'vitest';
import {contrastRatio, parseHex, relativeLuminance, sequentialColour, textColourOn} from './colour-scale';

const ts = Array.from({length: 101}, (_, i) => i / 100);

describe('sequentialColour', () => {
  it('runs from near white at 0 to dark blue at 1, through the stops', () => {
    expect(sequentialColour(0)).toBe('#f7fbff');
    expect(sequentialColour(0.5)).toBe('#6baed6');
    expect(sequentialColour(1)).toBe('#08306b');
    // Halfway between the first two stops, channel by channel: (247+198)/2, (251+219)/2, (255+239)/2.
    expect(parseHex(sequentialColour(0.125))).toEqual([223, 235, 247]);
  });

  it('clamps outside [0, 1] and takes NaN as 0', () => {
    expect(sequentialColour(-3)).toBe(sequentialColour(0));
    expect(sequentialColour(7)).toBe(sequentialColour(1));
    expect(sequentialColour(Number.NaN)).toBe(sequentialColour(0));
  });

  it('gets darker as the value grows (luminance strictly decreasing)', () => {
    const l = ts.map((t) => relativeLuminance(sequentialColour(t)));
    for (let i = 1; i < l.length; i++) expect(l[i]!, `t=${ts[i]}`).toBeLessThan(l[i - 1]!);
  });
});

describe('contrast', () => {
  it('computes WCAG luminance and ratios', () => {
    expect(relativeLuminance('#ffffff')).toBe(1);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#ffffff', '#000000')).toBe(21);
    // #777777: (0.4667 linearized ≈ 0.1845) → (1.05)/(0.2345) ≈ 4.48 against white.
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('writes black on light cells and white on dark ones, always with contrast >= 4.5', () => {
    expect(textColourOn(sequentialColour(0))).toBe('#000000');
    expect(textColourOn(sequentialColour(1))).toBe('#ffffff');
    for (const t of ts) {
      const fill = sequentialColour(t);
      expect(contrastRatio(fill, textColourOn(fill)), fill).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('refuses a colour that is not #rrggbb', () => {
    expect(() => parseHex('blue')).toThrow(/#rrggbb/);
  });
});
