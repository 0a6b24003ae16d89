/** Page entry of tune-bench.html: exposes runTuneBench for the Node runner (page.evaluate). */
import { runTuneBench } from './tune-bench.page.ts';

declare global {
  interface Window {
    runTuneBench: typeof runTuneBench;
  }
}

window.runTuneBench = runTuneBench;
document.body.dataset['ready'] = 'true';
