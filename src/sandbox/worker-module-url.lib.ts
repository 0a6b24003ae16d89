/** The npm package's worker script, `worker.js` next to the module (see worker-module-url.ts). */
export const workerModuleUrl = new URL(/* @vite-ignore */ './worker.js', import.meta.url).href;
