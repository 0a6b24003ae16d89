/** Page entry of data-bench.html: exposes the data benchmark for the Node runner (page.evaluate). */
import { runDataBench } from './data-bench.page.ts';

declare global {
  interface Window {
    runDataBench: typeof runDataBench;
  }
}

window.runDataBench = runDataBench;
document.body.dataset['ready'] = 'true';
