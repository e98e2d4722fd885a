/** Small pictures of digits: the misclassified grid and the prediction check. */

/** A 28 × 28 canvas showing `pixels` (784 values: 0..255 bytes, or floats in [0, 1] with `scale` 255). */
export function digitCanvas(pixels: ArrayLike<number>, scale = 1, label = 'digit'): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 28;
  canvas.height = 28;
  canvas.className = 'digit';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round(pixels[i]! * scale);
      image.data.set([v, v, v, 255], i * 4);
    }
    context.putImageData(image, 0, 0);
  }
  return canvas;
}

/** A figure: the digit and a caption under it. */
export function digitFigure(pixels: ArrayLike<number>, caption: string, scale = 1): HTMLElement {
  const figure = document.createElement('figure');
  figure.append(digitCanvas(pixels, scale, caption));
  const text = document.createElement('figcaption');
  text.textContent = caption;
  figure.append(text);
  return figure;
}

/** Index of the largest value. */
export function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
