/** Page entry of core-bench.html: exposes the core benchmarks for the Node runner (page.evaluate). */
import { pageEnvironment, runCoreBench, runMillion, runScaling } from './core-bench.page.ts';
import { runWorkerBoot } from './worker-boot.ts';

declare global {
  interface Window {
    runCoreBench: typeof runCoreBench;
    runScaling: typeof runScaling;
    runMillion: typeof runMillion;
    benchEnvironment: typeof pageEnvironment;
    runWorkerBoot: typeof runWorkerBoot;
  }
}

window.runCoreBench = runCoreBench;
window.runScaling = runScaling;
window.runMillion = runMillion;
window.benchEnvironment = pageEnvironment;
window.runWorkerBoot = runWorkerBoot;
document.body.dataset['ready'] = 'true';
