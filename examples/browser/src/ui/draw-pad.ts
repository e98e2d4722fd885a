/**
 * A canvas to draw a digit on with the mouse, a pen or a finger: white ink
 * on black, as MNIST. `onStroke` is called after each stroke.
 */
import {greyFromRgba, toMnist} from './preprocess';

export class DrawPad {
  private readonly context: CanvasRenderingContext2D;
  private drawing = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    onStroke: () => void,
  ) {
    const context = canvas.getContext('2d', {willReadFrequently: true});
    if (!context) throw new Error('This browser gives no 2D canvas context.');
    this.context = context;
    this.clear();
    const point = (event: PointerEvent): [number, number] => {
      const box = canvas.getBoundingClientRect();
      return [((event.clientX - box.left) * canvas.width) / box.width, ((event.clientY - box.top) * canvas.height) / box.height];
    };
    canvas.addEventListener('pointerdown', (event) => {
      this.drawing = true;
      canvas.setPointerCapture(event.pointerId);
      this.context.beginPath();
      this.context.moveTo(...point(event));
      this.context.lineTo(...point(event));
      this.context.stroke();
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!this.drawing) return;
      this.context.lineTo(...point(event));
      this.context.stroke();
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      onStroke();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  /** Wipes the drawing. */
  clear(): void {
    const {context, canvas} = this;
    context.fillStyle = '#000';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.strokeStyle = '#fff';
    context.lineWidth = canvas.width / 14;
    context.lineCap = 'round';
    context.lineJoin = 'round';
  }

  /** The drawing as 784 values in [0, 1] (MNIST-like: scaled and centred), or `null` when empty. */
  pixels(): Float32Array | null {
    const {width, height} = this.canvas;
    return toMnist(greyFromRgba(this.context.getImageData(0, 0, width, height).data, width, height));
  }
}
