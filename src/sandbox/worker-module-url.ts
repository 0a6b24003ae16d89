import workerUrl from '../worker.ts?worker&url';

/**
 * The worker script the sandbox's workers import. In the app, the build's worker bundle. The npm
 * package's build swaps this module for `worker-module-url.lib.ts`: its worker is the package's
 * own `worker.js` entry, next to the module (vite.lib.config.ts).
 */
export const workerModuleUrl = new URL(workerUrl, location.href).href;
