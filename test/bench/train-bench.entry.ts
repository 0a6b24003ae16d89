/** Page entry of train-bench.html: exposes runTrainBench for the Node runner (page.evaluate). */
import { runTrainBench } from './train-bench.page.ts';

declare global {
  interface Window {
    runTrainBench: typeof runTrainBench;
  }
}

window.runTrainBench = runTrainBench;
document.body.dataset['ready'] = 'true';
