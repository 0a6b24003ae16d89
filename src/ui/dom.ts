/** Attributes of `el`: `className` and `text` are properties; anything else is an attribute. */
export type Attributes = Record<string, string | number | boolean | undefined> & { className?: string };

export type Child = Node | string | null | undefined | false;

/**
 * Builds an element: `el('button', { 'aria-label': 'Run' }, '▶')`. Strings become text nodes,
 * never HTML, so nothing a notebook holds can inject markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'className') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A button whose accessible name is `label` (shown as `text` when given, e.g. an icon). */
export function button(label: string, onClick: (event: MouseEvent) => void, options: { text?: string; className?: string; title?: string } = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', className: options.className, title: options.title ?? label }, options.text ?? label);
  if (options.text !== undefined) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

/** Calls `draw` at most once per animation frame however often `schedule` is called. */
export function frameScheduler(draw: () => void): { schedule: () => void; cancel: () => void } {
  let frame = 0;
  return {
    schedule() {
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          draw();
        });
      }
    },
    cancel() {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}

/** Saves `text` as a file the browser downloads. */
export function download(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
