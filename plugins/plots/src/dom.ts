/**
 * The few DOM helpers the charts share. Everything goes through the
 * container's own `ownerDocument`, never the global `document`, and nothing
 * here runs on import.
 * @module
 */
import {ConfigError, describe} from '@trellis/core';

/**
 * `container` as an element to draw in.
 * @throws ConfigError when it is not a DOM element (missing, null, a selector string, or no DOM at all).
 */
export function checkContainer(who: string, container: unknown): HTMLElement {
  const c = container as {nodeType?: unknown; appendChild?: unknown; ownerDocument?: unknown} | null | undefined;
  if (typeof c === 'object' && c !== null && c.nodeType === 1 && typeof c.appendChild === 'function' && c.ownerDocument) {
    return container as HTMLElement;
  }
  const noDom = typeof (globalThis as {document?: unknown}).document === 'undefined';
  throw new ConfigError(
    `${who}: container must be a DOM element to draw in, such as document.getElementById('plots'); got ${describe(container)}. ` +
      (typeof container === 'string' ? 'Pass the element, not its selector. ' : '') +
      (noDom ? 'There is no DOM here (Node or a Web Worker): ' : 'When training runs in a Web Worker, ') +
      'send the logs from the fit with logFeed(send) and push them to a chart made in the page.',
  );
}

const STYLE_MARK = 'data-trellis-plots';

/**
 * What the charts need to lay out uPlot's parts (its canvases, axes, cursor
 * and legend) and the figures, scoped to `.trellis-plot`.
 */
const STYLES = `
.trellis-plots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.trellis-plot{margin:0;font:12px system-ui,sans-serif;color:#222}
.trellis-plot figcaption{font-weight:600;font-size:14px;margin:0 0 4px 8px}
.trellis-plot .uplot{width:min-content;line-height:1.4}
.trellis-plot .uplot *{box-sizing:border-box}
.trellis-plot .u-wrap{position:relative;user-select:none}
.trellis-plot .u-over,.trellis-plot .u-under,.trellis-plot .u-axis{position:absolute}
.trellis-plot .u-under{overflow:hidden}
.trellis-plot .uplot canvas{display:block;position:relative;width:100%;height:100%}
.trellis-plot .u-legend{margin:4px auto 0;text-align:center}
.trellis-plot .u-legend tr{display:inline-block;margin-right:12px}
.trellis-plot .u-legend th,.trellis-plot .u-legend td{display:inline-block;font-weight:normal;padding:2px}
.trellis-plot .u-legend th>*{display:inline-block;vertical-align:middle}
.trellis-plot .u-legend .u-marker{width:10px;height:10px;margin-right:4px}
.trellis-plot .u-legend .u-series th{cursor:pointer}
.trellis-plot .u-legend .u-off>*{opacity:.35}
.trellis-plot .u-select{position:absolute;pointer-events:none;background:rgba(0,0,0,.07)}
.trellis-plot .u-cursor-x,.trellis-plot .u-cursor-y,.trellis-plot .u-cursor-pt{position:absolute;left:0;top:0;pointer-events:none}
.trellis-plot .u-hz .u-cursor-x{height:100%;border-right:1px dashed #888}
.trellis-plot .u-hz .u-cursor-y{width:100%;border-bottom:1px dashed #888}
.trellis-plot .u-cursor-pt{border-radius:50%;border:0 solid}
.trellis-plot .u-cursor-x.u-off,.trellis-plot .u-cursor-y.u-off,.trellis-plot .u-cursor-pt.u-off,.trellis-plot .u-select.u-off{display:none}
`;

/** Adds the charts' style sheet to `doc` once. */
export function ensureStyles(doc: Document): void {
  if (doc.querySelector(`style[${STYLE_MARK}]`) !== null) return;
  const style = doc.createElement('style');
  style.setAttribute(STYLE_MARK, '');
  style.textContent = STYLES;
  (doc.head ?? doc.documentElement).appendChild(style);
}

/** A `<div class="trellis-plots">` appended to `container`, to hold a chart's figures. */
export function chartHolder(container: HTMLElement, styles: boolean): HTMLElement {
  const doc = container.ownerDocument;
  if (styles) ensureStyles(doc);
  const holder = doc.createElement('div');
  holder.className = 'trellis-plots';
  container.appendChild(holder);
  return holder;
}
