import { defineConfig, type Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The npm package's build: `src/index.ts` as an ES module (`dist-lib/raybox.js`) that needs no
 * bundler and no CDN, with the joiner's sandbox page (`sandbox.html` + `sandbox.js`) beside it. `base: './'` makes Vite write every asset URL (the TensorFlow.js wasm files)
 * as `new URL('…', import.meta.url)`, so they are found next to the module wherever a static host
 * puts it. Dependencies are bundled: a plain `<script type="module">` page has no resolver for
 * bare names.
 */
export default defineConfig({
  base: './',
  publicDir: false,
  plugins: [workerAsEntry(), moduleRelativeSandbox()],
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
        sandbox: resolve(import.meta.dirname, 'src/sandbox/main.ts'),
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

/**
 * A page that joins a room starts its workers in a sandboxed iframe (`sandbox.html`). The app finds
 * that page beside its own pages; the package must find it beside its module, since the page
 * that imports the module may live anywhere. So this build writes `sandbox.html` (the app's, with
 * the same Content Security Policy, its script pointed at the `sandbox` entry) and swaps the two
 * modules that locate the page and the worker script for their `.lib.ts` twins.
 */
function moduleRelativeSandbox(): Plugin {
  const swapped = ['/src/net/sandbox-page-url.ts', '/src/sandbox/worker-module-url.ts'];
  return {
    name: 'raybox-module-relative-sandbox',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const swap = resolved && swapped.find((path) => resolved.id.endsWith(path));
      return swap ? resolved.id.replace(/\.ts$/, '.lib.ts') : null;
    },
    generateBundle() {
      const page = readFileSync(resolve(import.meta.dirname, 'sandbox.html'), 'utf8');
      const script = '<script type="module" src="/src/sandbox/main.ts"></script>';
      if (!page.includes(script)) throw new Error(`sandbox.html no longer loads its script with ${script}`);
      this.emitFile({ type: 'asset', fileName: 'sandbox.html', source: page.replace(script, '<script type="module" src="./sandbox.js"></script>') });
    },
  };
}
