/**
 * The drop-in script for tutorial pages: `<script type="module" src="raybox-embed.js">` makes
 * every `<pre data-raybox>` (or `<pre class="raybox">`) block runnable, with a Run button and an
 * output area under it. Nothing runs until the reader presses Run. All blocks of the page share
 * one raybox runtime, started on the first run; blocks with the same `data-scope` share their
 * variables, like notebook cells, and `data-depends="id …"` runs the named blocks first.
 * It also defines `<raybox-cell>` and `<raybox-notebook>` (raybox-elements.ts).
 */
import * as raybox from '../index.ts';
import { driver } from '../runtime/session.ts';
import { CodeBlocks } from './code-blocks.ts';
import { EMBED_CSS } from './embed-styles.ts';
import { defineElements } from './raybox-elements.ts';

declare global {
  interface Window {
    /** The page's one drop-in runtime: a second copy of the script finds it and does nothing. */
    rayboxEmbed?: { blocks: CodeBlocks; raybox: typeof raybox };
  }
}

function start(): void {
  if (window.rayboxEmbed) return;
  const style = document.createElement('style');
  style.dataset['raybox'] = '';
  style.textContent = EMBED_CSS;
  document.head.append(style);
  const blocks = new CodeBlocks({
    // Each block's tasks carry its run's submission context, so stopping a block cancels exactly them.
    runtime: {
      onEventBatch: (listener, options) => raybox.onEventBatch(listener, options),
      setSubmissionContext: (context) => driver().setSubmissionContext(context),
      cancelContext: (context) => driver().cancelContext(context),
      contextOf: (taskId) => driver().contextOf(taskId),
    },
    globals: { raybox },
    onDemand: { tf: () => raybox.ml.loadTf() },
    createCanvas: (width, height) => Object.assign(document.createElement('canvas'), { width, height }),
  });
  window.rayboxEmbed = { blocks, raybox };
  defineElements(blocks);
  const mount = (): void => void blocks.mount(document);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
  else mount();
}

start();
