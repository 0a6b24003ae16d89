import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url&no-inline';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url&no-inline';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url&no-inline';

/**
 * Where this app serves the wasm backend's three binaries. Vite's `?url` makes each one an asset
 * of the app (hashed in a build, served from node_modules in dev), so nothing is ever fetched from
 * a CDN, and a module worker bundle gets the same URLs. The keys are the file names the wasm
 * backend asks for; `setWasmPaths` must receive all three, in every realm, before
 * `setBackend('wasm')`, or the backend fetches them relative to the script and gets 404s.
 * They are made absolute against this module's own URL: a worker in a peer's sandbox runs from a
 * blob: URL, against which a root-relative path would mean nothing.
 */
export const WASM_FILES: Readonly<Record<string, string>> = {
  'tfjs-backend-wasm.wasm': absolute(plainUrl),
  'tfjs-backend-wasm-simd.wasm': absolute(simdUrl),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(threadedSimdUrl),
};

function absolute(url: string): string {
  return new URL(url, import.meta.url).href;
}
