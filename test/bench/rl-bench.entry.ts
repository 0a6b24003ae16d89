/** Page entry of rl-bench.html: exposes runRlBench for the Node runner (page.evaluate). */
import { runRlBench } from './rl-bench.page.ts';

declare global {
  interface Window {
    runRlBench: typeof runRlBench;
  }
}

window.runRlBench = runRlBench;
document.body.dataset['ready'] = 'true';
