import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';

/**
 * The npm package's build: `src/index.ts` as an ES module (`dist-lib/raybox.js`) that needs no
 * bundler and no CDN. `base: './'` makes Vite write every asset URL (the TensorFlow.js wasm files)
 * as `new URL('…', import.meta.url)`, so they are found next to the module wherever a static host
 * puts it. Dependencies are bundled: a plain `<script type="module">` page has no resolver for
 * bare names.
 */
export default defineConfig({
  base: './',
  publicDir: false,
  plugins: [workerAsEntry()],
  build: {
    target: 'es2022',
    outDir: 'dist-lib',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    lib: {
      entry: {
        raybox: resolve(import.meta.dirname, 'src/index.ts'),
        worker: resolve(import.meta.dirname, 'src/worker.ts'),
        'raybox-embed': resolve(import.meta.dirname, 'src/embed/raybox-embed.ts'),
      },
      formats: ['es'],
    },
  },
});

/**
 * The worker script is a second entry (`dist-lib/worker.js`, sharing TensorFlow.js's chunks with
 * the page's module) rather than a worker bundle of its own, and `src/index.ts` starts it with
 * the literal `new Worker(new URL('./worker.js', import.meta.url), …)`. A user's bundler (Vite,
 * webpack 5, Parcel) recognises exactly that pattern and bundles the worker with its imports and
 * wasm files; a static host serves it next to the module as it is. The split string keeps this
 * build's own worker plugin from bundling it a second time.
 */
function workerAsEntry(): Plugin {
  const source = "new Worker(new URL('./worker.ts', import.meta.url)";
  return {
    name: 'raybox-worker-as-entry',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/src/index.ts')) return null;
      if (!code.includes(source)) throw new Error(`src/index.ts no longer starts its worker with ${source}`);
      return code.replace(source, "new Worker(new URL('./' + 'worker.js', import.meta.url)");
    },
    renderChunk(code) {
      return code.includes('"./" + "worker.js"') ? code.replace('"./" + "worker.js"', '"./worker.js"') : null;
    },
  };
}
