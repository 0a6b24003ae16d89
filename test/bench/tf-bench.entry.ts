/** Page entry of tf-bench.html: exposes runTfBench for the Node runner (page.evaluate). */
import { runTfBench } from './tf-bench.page.ts';

declare global {
  interface Window {
    runTfBench: typeof runTfBench;
  }
}

window.runTfBench = runTfBench;
document.body.dataset['ready'] = 'true';
