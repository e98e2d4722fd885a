/**
 * Float64 reference convolutions for the tests of this package (not
 * exported): a direct loop over every output, with its vector-Jacobian
 * product, channels last.
 * @module
 */

/** A convolution's geometry: input `[batch, h, w, c]`, kernel `[kh, kw, c, o]`. */
export type ConvGeometry = {
  readonly input: readonly [number, number, number, number];
  readonly kernel: readonly [number, number, number, number];
  readonly strides: readonly [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilation: readonly [number, number];
  /** `true`: channel `c` of the input feeds outputs `c·o .. c·o + o - 1` only (depthwise). */
  readonly depthwise?: boolean;
};

/** Output spatial size and the padding before, TensorFlow's rules. */
function axis(n: number, k: number, s: number, d: number, padding: 'valid' | 'same'): [number, number] {
  const kd = (k - 1) * d + 1;
  if (padding === 'valid') return [Math.floor((n - kd) / s) + 1, 0];
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + kd - n, 0);
  return [out, Math.floor(total / 2)];
}

/** The output shape `[batch, h', w', channels']` of {@link convReference}. */
export function convOutputShape(g: ConvGeometry): [number, number, number, number] {
  const [b, h, w] = g.input;
  const [kh, kw, c, o] = g.kernel;
  return [
    b,
    axis(h, kh, g.strides[0], g.dilation[0], g.padding)[0],
    axis(w, kw, g.strides[1], g.dilation[1], g.padding)[0],
    g.depthwise ? c * o : o,
  ];
}

/** Visits every (output, input, kernel) triple of the convolution. */
function forEachTap(g: ConvGeometry, visit: (yi: number, xi: number, ki: number) => void): void {
  const [b, h, w, c] = g.input;
  const [kh, kw, , o] = g.kernel;
  const [oh, padTop] = axis(h, kh, g.strides[0], g.dilation[0], g.padding);
  const [ow, padLeft] = axis(w, kw, g.strides[1], g.dilation[1], g.padding);
  const outChannels = g.depthwise ? c * o : o;
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let p = 0; p < kh; p++) {
          const r = i * g.strides[0] - padTop + p * g.dilation[0];
          if (r < 0 || r >= h) continue;
          for (let q = 0; q < kw; q++) {
            const col = j * g.strides[1] - padLeft + q * g.dilation[1];
            if (col < 0 || col >= w) continue;
            for (let ci = 0; ci < c; ci++) {
              const xi = ((n * h + r) * w + col) * c + ci;
              for (let co = 0; co < o; co++) {
                const out = g.depthwise ? ci * o + co : co;
                const yi = ((n * oh + i) * ow + j) * outChannels + out;
                visit(yi, xi, ((p * kw + q) * c + ci) * o + co);
              }
            }
          }
        }
      }
    }
  }
}

/** `y = conv(x, kernel)` in float64 (no bias), flat in row-major order. */
export function convReference(g: ConvGeometry, x: ArrayLike<number>, kernel: ArrayLike<number>): number[] {
  const y = new Array<number>(convOutputShape(g).reduce((a, b) => a * b, 1)).fill(0);
  forEachTap(g, (yi, xi, ki) => {
    y[yi]! += x[xi]! * kernel[ki]!;
  });
  return y;
}

/** The gradients of `sum(conv(x, kernel) · dy)` with respect to `x` and `kernel`, in float64. */
export function convReferenceGradients(
  g: ConvGeometry,
  x: ArrayLike<number>,
  kernel: ArrayLike<number>,
  dy: ArrayLike<number>,
): {dx: number[]; dkernel: number[]} {
  const dx = new Array<number>(x.length).fill(0);
  const dkernel = new Array<number>(kernel.length).fill(0);
  forEachTap(g, (yi, xi, ki) => {
    dx[xi]! += dy[yi]! * kernel[ki]!;
    dkernel[ki]! += dy[yi]! * x[xi]!;
  });
  return {dx, dkernel};
}

/** A pooling's geometry: input `[batch, h, w, c]`, window and strides `[h, w]`. */
export type PoolGeometry = {
  readonly input: readonly [number, number, number, number];
  readonly pool: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: 'valid' | 'same';
};

/**
 * Max or average pooling in float64 with its vector-Jacobian product: the
 * maximum's gradient goes to the first maximum of the window; the average
 * counts only the input values a window covers.
 */
export function poolReference(
  g: PoolGeometry,
  mode: 'max' | 'average',
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
): {y: number[]; dx: number[]; shape: [number, number, number, number]} {
  const [b, h, w, c] = g.input;
  const [oh, padTop] = axis(h, g.pool[0], g.strides[0], 1, g.padding);
  const [ow, padLeft] = axis(w, g.pool[1], g.strides[1], 1, g.padding);
  const y: number[] = [];
  const dx = new Array<number>(x.length).fill(0);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let ch = 0; ch < c; ch++) {
          const taps: number[] = [];
          for (let p = 0; p < g.pool[0]; p++) {
            for (let q = 0; q < g.pool[1]; q++) {
              const r = i * g.strides[0] - padTop + p;
              const col = j * g.strides[1] - padLeft + q;
              if (r >= 0 && r < h && col >= 0 && col < w) taps.push(((n * h + r) * w + col) * c + ch);
            }
          }
          const out = y.length;
          if (mode === 'max') {
            let best = taps[0]!;
            for (const t of taps) if (x[t]! > x[best]!) best = t;
            y.push(x[best]!);
            dx[best]! += dy[out]!;
          } else {
            y.push(taps.reduce((s, t) => s + x[t]!, 0) / taps.length);
            for (const t of taps) dx[t]! += dy[out]! / taps.length;
          }
        }
      }
    }
  }
  return {y, dx, shape: [b, oh, ow, c]};
}
