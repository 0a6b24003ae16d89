import uplotCss from 'uplot/dist/uPlot.min.css?inline';

/**
 * The drop-in script's styles, scoped to its own elements so the host page keeps its look. Colours
 * come from the host's custom properties (`--raybox-bg`, `--raybox-fg`, `--raybox-accent`,
 * `--raybox-border`, `--raybox-font-mono`) with light defaults, and dark ones when the page says
 * `prefers-color-scheme: dark`, `<html data-theme="dark">` or `<html class="dark">`.
 */
const light = `--rb-text: var(--raybox-fg, #1f2933); --rb-bg: var(--raybox-bg, #f6f7f9); --rb-accent: var(--raybox-accent, #2563eb);
  --rb-accent-soft: #e8f0fe; --rb-border: var(--raybox-border, #dde1e7); --rb-line: #e9ecf1; --rb-muted: #66758a; --rb-subtle: #f3f5f8;
  --rb-danger: #c62828; --rb-error-bg: #fef2f2; --rb-error-text: #991b1b; --rb-warn-bg: #fffbeb; --rb-warn-text: #92400e;`;
const dark = `--rb-text: var(--raybox-fg, #e2e8f0); --rb-bg: var(--raybox-bg, #1b2129); --rb-accent: var(--raybox-accent, #60a5fa);
  --rb-accent-soft: #1e3a5f; --rb-border: var(--raybox-border, #2f3945); --rb-line: #28313c; --rb-muted: #94a3b8; --rb-subtle: #232b35;
  --rb-danger: #f87171; --rb-error-bg: #3b1d1d; --rb-error-text: #fecaca; --rb-warn-bg: #3a2e12; --rb-warn-text: #fcd34d;`;

export const EMBED_CSS = `${uplotCss}
.raybox-block { ${light} --rb-mono: var(--raybox-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
  color: var(--rb-text); background: var(--rb-bg); border: 1px solid var(--rb-border); border-radius: 6px; padding: 6px 10px; margin: 0 0 1em; }
@media (prefers-color-scheme: dark) { :root:not([data-theme='light']):not(.light) .raybox-block { ${dark} } }
:root.dark .raybox-block, [data-theme='dark'] .raybox-block { ${dark} }
[data-theme='light'] .raybox-block { ${light} }
.raybox-block > pre { margin: 0 0 6px; overflow-x: auto; }
.raybox-bar { display: flex; align-items: center; gap: 8px; font: 12px system-ui, sans-serif; color: var(--rb-muted); }
.raybox-run { font: inherit; color: #fff; background: var(--rb-accent); border: 0; border-radius: 4px; padding: 3px 12px; cursor: pointer; }
.raybox-run:disabled { opacity: 0.6; cursor: progress; }
.raybox-block .rb-output:not(:empty) { margin-top: 6px; padding-top: 4px; border-top: 1px dashed var(--rb-line); display: flex; flex-direction: column; gap: 4px; }
.raybox-block .rb-output { font-size: 13px; }
.raybox-block .rb-log, .raybox-block .rb-result, .raybox-block .rb-v-text, .raybox-block .rb-error-head { font-family: var(--rb-mono); font-size: 12.5px; white-space: pre-wrap; word-break: break-word; margin: 0; }
.raybox-block .rb-log-warn { color: var(--rb-warn-text); background: var(--rb-warn-bg); }
.raybox-block .rb-log-error { color: var(--rb-danger); background: var(--rb-error-bg); }
.raybox-block .rb-log-task { font-size: 10.5px; background: var(--rb-accent-soft); color: var(--rb-accent); border-radius: 4px; padding: 0 5px; margin-right: 6px; }
.raybox-block .rb-v-entries { padding-left: 16px; border-left: 1px dotted var(--rb-line); margin-left: 4px; }
.raybox-block .rb-v-table { overflow: auto; max-height: 420px; }
.raybox-block .rb-v-table table { border-collapse: collapse; font: 12px var(--rb-mono); }
.raybox-block .rb-v-table th, .raybox-block .rb-v-table td { border-bottom: 1px solid var(--rb-line); padding: 2px 10px; text-align: left; }
.raybox-block .rb-error { border-left: 3px solid var(--rb-danger); background: var(--rb-error-bg); padding: 6px 10px; border-radius: 4px; }
.raybox-block .rb-error-head { font-weight: 600; color: var(--rb-error-text); }
.raybox-block .rb-error-where, .raybox-block .rb-error-stack { font-size: 12px; color: var(--rb-error-text); white-space: pre-wrap; }
.raybox-block .rb-chart { margin: 0; }
.raybox-block .rb-chart figcaption { font-size: 12px; font-weight: 600; color: var(--rb-muted); }
.raybox-block .raybox-timeline { margin-top: 6px; }
.raybox-block .raybox-timeline-canvas { display: block; width: 100%; }
.raybox-block .raybox-timeline-summary { font: 11px system-ui, sans-serif; color: var(--rb-muted); margin-top: 2px; }
.raybox-block .rb-progress { display: flex; align-items: center; gap: 8px; font-size: 12px; }
`;
