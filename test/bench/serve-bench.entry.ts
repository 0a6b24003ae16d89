/** Page entry of serve-bench.html: exposes runServeBench for the Node runner (page.evaluate). */
import { runServeBench } from './serve-bench.page.ts';

declare global {
  interface Window {
    runServeBench: typeof runServeBench;
  }
}

window.runServeBench = runServeBench;
document.body.dataset['ready'] = 'true';
